import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.ts';
import { isRole, type Role } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import { isEmail } from '../shared/formats.ts';
import type { TenantService } from '../tenants/tenants.ts';
import { hashPassword } from './passwords.ts';

/** A console user, as every API shows one (never with the password hash). */
export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: Date;
}

/** A user as their admins see them. */
export interface ManagedUser extends User {
  readonly team: string | null;
  readonly disabled: boolean;
}

/** The people who log in to a tenant's console: built-in accounts with argon2id password hashes. */
export function createUserService(db: Kysely<Tables>, tenants: TenantService) {
  return {
    async create(
      input: { tenantId: string; email: string; name?: string; role: string; password: string; team?: string },
      audit: { actor: string; requestId?: string },
    ): Promise<User> {
      const email = input.email.trim().toLowerCase();
      if (!isEmail(email) || email.length > 320)
        throw new LivoraError('LIVORA_USER_INVALID', `"${input.email}" is not an email address`);
      if (!isRole(input.role)) throw new LivoraError('LIVORA_USER_INVALID', `"${input.role}" is not a role`);
      await tenants.require(input.tenantId);
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (tx) => {
        const teamId = input.team ? await teamNamed(tx, input.tenantId, input.team) : null;
        const row = await tx
          .insertInto('users')
          .values({
            id: uuidV7(),
            tenant_id: input.tenantId,
            email,
            name: input.name?.trim() || email,
            role: input.role,
            password_hash: passwordHash,
            team_id: teamId,
          })
          .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new LivoraError('LIVORA_USER_EXISTS', `tenant ${input.tenantId} has a user ${email}`);
        const user = userOf(row);
        await recordAudit(tx, {
          tenantId: user.tenantId,
          actor: audit.actor,
          action: 'user.created',
          entity: 'user',
          entityId: user.id,
          after: { email: user.email, name: user.name, role: user.role, team: input.team ?? null },
          requestId: audit.requestId ?? null,
        });
        return user;
      });
    },

    /** The tenant's users (or the one with `id`), with their team and whether they are disabled. */
    async list(tenantId: string, id?: string): Promise<ManagedUser[]> {
      let query = db
        .selectFrom('users')
        .leftJoin('teams', 'teams.id', 'users.team_id')
        .selectAll('users')
        .select('teams.name as team')
        .where('users.tenant_id', '=', tenantId)
        .orderBy('email');
      if (id) query = query.where('users.id', '=', id);
      const rows = await query.execute();
      return rows.map((r) => ({ ...userOf(r), team: r.team, disabled: r.disabled_at !== null }));
    },

    /**
     * Changes a user's role, team, name, or whether they may sign in. Disabling revokes
     * their logins' refresh tokens (access tokens run out within minutes).
     */
    async update(
      tenantId: string,
      id: string,
      change: { role?: string; team?: string | null; name?: string; disabled?: boolean },
      audit: { actor: string; requestId?: string },
    ): Promise<User> {
      if (change.role !== undefined && !isRole(change.role))
        throw new LivoraError('LIVORA_USER_INVALID', `"${change.role}" is not a role`);
      return db.transaction().execute(async (tx) => {
        const before = await tx
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!before) throw new LivoraError('LIVORA_USER_NOT_FOUND', `no user ${id}`);
        const teamId =
          change.team === undefined
            ? before.team_id
            : change.team === null
              ? null
              : await teamNamed(tx, tenantId, change.team);
        const disabledAt =
          change.disabled === undefined
            ? before.disabled_at
            : change.disabled
              ? (before.disabled_at ?? new Date())
              : null;
        const after = await tx
          .updateTable('users')
          .set({
            role: change.role ?? before.role,
            name: change.name?.trim() || before.name,
            team_id: teamId,
            disabled_at: disabledAt,
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const { count } = await tx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('tenant_id', '=', tenantId)
          .where('role', '=', 'admin')
          .where('disabled_at', 'is', null)
          .executeTakeFirstOrThrow();
        if (Number(count) === 0)
          throw new LivoraError(
            'LIVORA_USER_LAST_ADMIN',
            'the tenant would have no active admin left: nothing changed',
          );
        if (disabledAt && !before.disabled_at)
          await tx
            .updateTable('refresh_tokens')
            .set({ revoked_at: new Date() })
            .where('user_id', '=', id)
            .where('revoked_at', 'is', null)
            .execute();
        const fields = (r: typeof before) => ({
          role: r.role,
          name: r.name,
          team_id: r.team_id,
          disabled: r.disabled_at !== null,
        });
        await recordAudit(tx, {
          tenantId,
          actor: audit.actor,
          action: 'user.updated',
          entity: 'user',
          entityId: id,
          before: fields(before),
          after: fields(after),
          requestId: audit.requestId ?? null,
        });
        return userOf(after);
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;

/** The tenant's team of this name, made when it is the first to join it. */
async function teamNamed(tx: Kysely<Tables>, tenantId: string, name: string): Promise<string> {
  await tx
    .insertInto('teams')
    .values({ id: uuidV7(), tenant_id: tenantId, name })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
    .execute();
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return team.id;
}

export function userOf(row: {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: string;
  created_at: Date;
}): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
  };
}
