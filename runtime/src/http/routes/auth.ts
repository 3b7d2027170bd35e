import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LoginService, Tokens } from '../../accounts/logins.ts';

const TokensReply = Type.Object({
  access_token: Type.String({ description: 'A bearer JWT for every other endpoint.' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds the access token lives.' }),
  refresh_token: Type.String({ description: 'Trade it at /v1/auth/refresh for new tokens; it works once.' }),
  refresh_expires_in: Type.Integer(),
  user: Type.Object({
    id: Type.String({ format: 'uuid' }),
    tenant: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Type.String(),
  }),
});

const RefreshBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

function reply(tokens: Tokens) {
  return {
    access_token: tokens.accessToken,
    token_type: 'Bearer' as const,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    refresh_expires_in: tokens.refreshExpiresIn,
    user: {
      id: tokens.user.id,
      tenant: tokens.user.tenantId,
      email: tokens.user.email,
      name: tokens.user.name,
      role: tokens.user.role,
    },
  };
}

/** /v1/auth: log in with a built-in account, refresh (rotating tokens), log out. */
export function authRoutes(deps: { logins: LoginService }): FastifyPluginAsyncTypebox {
  const common = { tags: ['auth'] };
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          ...common,
          summary: 'Log in',
          description:
            'A built-in account’s email and password for tokens. A wrong password, an unknown email and a disabled ' +
            'account get the same 401; five wrong passwords lock the account for 15 minutes (429).',
          body: Type.Object(
            {
              tenant: Type.String({ minLength: 2, maxLength: 63 }),
              email: Type.String({ minLength: 3, maxLength: 320 }),
              password: Type.String({ minLength: 1, maxLength: 256 }),
            },
            {
              additionalProperties: false,
              examples: [{ tenant: 'acme', email: 'ana@acme.example', password: 'correct horse battery staple' }],
            },
          ),
          response: { 200: TokensReply },
        },
      },
      async (request) =>
        reply(
          await deps.logins.login({
            tenantId: request.body.tenant,
            email: request.body.email,
            password: request.body.password,
            requestId: request.id,
          }),
        ),
    );

    app.post(
      '/auth/refresh',
      {
        schema: {
          ...common,
          summary: 'New tokens for a refresh token',
          description:
            'The refresh token is replaced by the one returned. Presenting a replaced token again revokes every token ' +
            'of that login (LIVORA_AUTH_REFRESH_REUSED): it was copied.',
          body: RefreshBody,
          response: { 200: TokensReply },
        },
      },
      async (request) => reply(await deps.logins.refresh(request.body.refresh_token, request.id)),
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          ...common,
          summary: 'Log out',
          description: 'Revokes every refresh token of the login; access tokens expire on their own (minutes).',
          body: RefreshBody,
          response: { 204: Type.Null() },
        },
      },
      async (request, response) => {
        await deps.logins.logout(request.body.refresh_token, request.id);
        return response.code(204).send(null);
      },
    );
  };
}
