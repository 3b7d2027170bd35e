import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.ts';
import { mintLocalToken } from '../auth/local-tokens.ts';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { type User, userOf } from './users.ts';

/** What a login or a refresh gives: a short-lived access token and the next refresh token. */
export interface Tokens {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly refreshExpiresIn: number;
  readonly user: User;
}

const FAILURES_BEFORE_LOCK = 5;
const LOCK_MS = 15 * 60_000;

/**
 * Logins of built-in accounts. A login checks the password (argon2id), then opens a family
 * of refresh tokens; a refresh replaces its token with a new one of the family. Using a
 * replaced token again can only mean it was copied: the whole family is revoked, and the
 * thief and the user must log in again. Five wrong passwords lock the account for 15
 * minutes. Unknown emails, disabled users and wrong passwords get the same answer.
 */
export function createLoginService(deps: {
  db: Kysely<Tables>;
  secret: string;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  now?: () => Date;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  // Verified against when the email is unknown, so that it takes as long as a real check.
  const decoy = hashPassword(randomBytes(24).toString('base64url'));

  async function issue(tx: Kysely<Tables>, user: User, familyId: string): Promise<Tokens> {
    const refreshToken = `lvr_${randomBytes(32).toString('base64url')}`;
    const refreshExpiresIn = deps.refreshTokenDays * 86_400;
    await tx
      .insertInto('refresh_tokens')
      .values({
        token_hash: digest(refreshToken),
        family_id: familyId,
        user_id: user.id,
        tenant_id: user.tenantId,
        expires_at: new Date(now().getTime() + refreshExpiresIn * 1000),
      })
      .execute();
    return {
      accessToken: mintLocalToken(deps.secret, {
        tenant: user.tenantId,
        role: user.role,
        subject: user.id,
        expiresInSeconds: deps.accessTokenSeconds,
      }),
      expiresIn: deps.accessTokenSeconds,
      refreshToken,
      refreshExpiresIn,
      user,
    };
  }

  const invalidCredentials = () =>
    new LivoraError('LIVORA_AUTH_INVALID_CREDENTIALS', 'the email or password is wrong (or the account is disabled)');

  return {
    async login(input: { tenantId: string; email: string; password: string; requestId?: string }): Promise<Tokens> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', input.tenantId)
        .where('email', '=', input.email.trim().toLowerCase())
        .executeTakeFirst();
      // Users of an identity provider have no password here: they log in there.
      if (!row || row.disabled_at || row.password_hash === null) {
        await verifyPassword(await decoy, input.password);
        throw invalidCredentials();
      }
      const at = now();
      if (row.locked_until && row.locked_until > at) {
        const seconds = Math.ceil((row.locked_until.getTime() - at.getTime()) / 1000);
        throw new LivoraError('LIVORA_AUTH_LOCKED', `too many failed logins: try again in ${seconds} s`, undefined, {
          'retry-after': String(seconds),
        });
      }
      const user = userOf(row);
      const audit = { tenantId: user.tenantId, actor: `user:${user.id}`, entity: 'user', entityId: user.id };
      if (!(await verifyPassword(row.password_hash as string, input.password))) {
        const failures = row.failed_logins + 1;
        const locks = failures >= FAILURES_BEFORE_LOCK;
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('users')
            .set(
              locks
                ? { failed_logins: 0, locked_until: new Date(at.getTime() + LOCK_MS) }
                : { failed_logins: failures },
            )
            .where('id', '=', user.id)
            .execute();
          await recordAudit(tx, {
            ...audit,
            action: locks ? 'auth.locked' : 'auth.login_failed',
            requestId: input.requestId ?? null,
          });
        });
        throw invalidCredentials();
      }
      return db.transaction().execute(async (tx) => {
        await tx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
        await recordAudit(tx, { ...audit, action: 'auth.login', requestId: input.requestId ?? null });
        return issue(tx, user, randomUUID());
      });
    },

    /** Opens a login for a user whom an identity provider vouched for (OIDC). */
    async loginVerified(user: User, method: 'oidc', requestId?: string): Promise<Tokens> {
      return db.transaction().execute(async (tx) => {
        await recordAudit(tx, {
          tenantId: user.tenantId,
          actor: `user:${user.id}`,
          action: 'auth.login',
          entity: 'user',
          entityId: user.id,
          after: { method },
          requestId: requestId ?? null,
        });
        return issue(tx, user, randomUUID());
      });
    },

    async refresh(refreshToken: string, requestId?: string): Promise<Tokens> {
      const outcome = await db.transaction().execute(async (tx) => {
        const token = await tx
          .selectFrom('refresh_tokens')
          .selectAll()
          .where('token_hash', '=', digest(refreshToken))
          .forUpdate()
          .executeTakeFirst();
        if (!token || token.revoked_at || token.expires_at <= now()) return 'invalid' as const;
        if (token.replaced_at) {
          await endLogin(tx, token, 'auth.refresh_reused', requestId);
          return 'reused' as const;
        }
        const row = await tx.selectFrom('users').selectAll().where('id', '=', token.user_id).executeTakeFirst();
        if (!row || row.disabled_at) return 'invalid' as const;
        await tx
          .updateTable('refresh_tokens')
          .set({ replaced_at: now() })
          .where('token_hash', '=', token.token_hash)
          .execute();
        // The role is read again: a change of role shows at the next refresh.
        return issue(tx, userOf(row), token.family_id);
      });
      if (outcome === 'invalid')
        throw new LivoraError('LIVORA_AUTH_REFRESH_INVALID', 'the refresh token is unknown, expired or revoked');
      if (outcome === 'reused')
        throw new LivoraError('LIVORA_AUTH_REFRESH_REUSED', 'this refresh token was already used: log in again');
      return outcome;
    },

    /** Ends the login the refresh token belongs to (every token of its family); unknown tokens are ignored. */
    async logout(refreshToken: string, requestId?: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const token = await tx
          .selectFrom('refresh_tokens')
          .select(['family_id', 'tenant_id', 'user_id', 'revoked_at'])
          .where('token_hash', '=', digest(refreshToken))
          .executeTakeFirst();
        if (!token || token.revoked_at) return;
        await endLogin(tx, token, 'auth.logout', requestId);
      });
    },
  };

  /** Revokes every refresh token of the login `token` belongs to, and audits why. */
  async function endLogin(
    tx: Kysely<Tables>,
    token: { family_id: string; tenant_id: string; user_id: string },
    action: 'auth.logout' | 'auth.refresh_reused',
    requestId: string | undefined,
  ): Promise<void> {
    await tx
      .updateTable('refresh_tokens')
      .set({ revoked_at: now() })
      .where('family_id', '=', token.family_id)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(tx, {
      tenantId: token.tenant_id,
      actor: `user:${token.user_id}`,
      action,
      entity: 'user',
      entityId: token.user_id,
      requestId: requestId ?? null,
    });
  }
}

export type LoginService = ReturnType<typeof createLoginService>;

/** Refresh tokens are kept as their SHA-256: a copy of the table logs nobody in. */
function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
