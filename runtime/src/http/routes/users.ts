import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ManagedUser, UserService } from '../../accounts/users.ts';
import { ROLES } from '../../auth/roles.ts';
import { type Authenticator, principalOf } from '../auth.ts';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Team = Type.String({ minLength: 1, maxLength: 100 });
const UserReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
});

/** /v1/users: the tenant's console users, managed by its admins. */
export function userRoutes(deps: { authenticate: Authenticator; users: UserService }): FastifyPluginAsyncTypebox {
  const common = { tags: ['accounts'], security: [{ bearer: [] }] };
  const manage = deps.authenticate({ permission: 'users:manage' });
  const one = async (tenantId: string, id: string) => {
    const [user] = await deps.users.list(tenantId, id);
    if (!user) throw new Error(`user ${id} vanished`);
    return present(user);
  };
  return async (app) => {
    app.get(
      '/users',
      {
        schema: {
          ...common,
          summary: 'The tenant’s users',
          response: { 200: Type.Object({ users: Type.Array(UserReply) }) },
        },
        preHandler: manage,
      },
      async (request) => ({ users: (await deps.users.list(principalOf(request).tenantId)).map(present) }),
    );

    app.post(
      '/users',
      {
        schema: {
          ...common,
          summary: 'Create a user',
          body: Type.Object(
            {
              email: Type.String({ minLength: 3, maxLength: 320 }),
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              role: Role,
              team: Type.Optional(Team),
              password: Type.String({ minLength: 12, maxLength: 256 }),
            },
            {
              additionalProperties: false,
              examples: [{ email: 'rui@acme.example', role: 'sales', team: 'North', password: 'a long passphrase' }],
            },
          ),
          response: { 201: UserReply },
        },
        preHandler: manage,
      },
      async (request, response) => {
        const principal = principalOf(request);
        const user = await deps.users.create(
          { tenantId: principal.tenantId, ...request.body },
          { actor: actorOf(principal), requestId: request.id },
        );
        return response.code(201).send(await one(principal.tenantId, user.id));
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          ...common,
          summary: 'Change a user’s role, team or name, or disable them',
          description:
            'Disabling a user ends their logins (refresh tokens revoked; access tokens expire within minutes). A change ' +
            'that would leave the tenant without an active admin is refused (409 LIVORA_USER_LAST_ADMIN).',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: Type.Object(
            {
              role: Type.Optional(Role),
              team: Type.Optional(Type.Union([Team, Type.Null()])),
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              disabled: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: UserReply },
        },
        preHandler: manage,
      },
      async (request) => {
        const principal = principalOf(request);
        await deps.users.update(principal.tenantId, request.params.id, request.body, {
          actor: actorOf(principal),
          requestId: request.id,
        });
        return one(principal.tenantId, request.params.id);
      },
    );
  };
}

function present(user: ManagedUser) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    team: user.team,
    disabled: user.disabled,
    created_at: user.createdAt.toISOString(),
  };
}

function actorOf(principal: ReturnType<typeof principalOf>): string {
  return principal.kind === 'user' ? `user:${principal.subject}` : `key:${principal.keyId}`;
}
