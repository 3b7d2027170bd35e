import { type Kysely, sql } from 'kysely';
import * as oidc from 'openid-client';
import { recordAudit } from '../audit/audit-log.ts';
import { roleFromClaim } from '../auth/oidc-claims.ts';
import type { Role } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import { isEmail } from '../shared/formats.ts';
import { isTenantId } from '../tenants/tenants.ts';
import type { LoginService, Tokens } from './logins.ts';
import { type User, userOf } from './users.ts';

export interface OidcLoginSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** None: a public client, PKCE alone. */
  readonly clientSecret?: string;
  /** This API's callback, as registered at the issuer. */
  readonly redirectUri: string;
  readonly scopes: string;
  readonly tenantClaim: string;
  readonly roleClaim: string;
  readonly roleMap: ReadonlyMap<string, Role>;
}

/** A login started at the issuer lives this long. */
const LOGIN_MINUTES = 10;

/**
 * Console login at an OIDC issuer (Cognito, Google, Entra ID…) by authorization code with
 * PKCE: `start` sends the browser to the issuer with a one-time state, nonce and code
 * challenge; `finish` takes the issuer's answer, trades the code (with the verifier) for an
 * ID token, checks it (signature, issuer, audience, nonce), and maps its claims to the
 * tenant and role. The user is found by the issuer's subject, else linked by a verified
 * email, else made; the issuer's role is theirs at every login. The answer is Livora's own
 * tokens, as a password login gives.
 */
export function createOidcLogin(deps: { db: Kysely<Tables>; logins: LoginService; settings: OidcLoginSettings }) {
  const { db, settings } = deps;
  let configuration: Promise<oidc.Configuration> | null = null;

  /** The issuer's discovery document, fetched once (again after a failure). */
  function issuer(): Promise<oidc.Configuration> {
    if (!configuration) {
      const url = new URL(settings.issuer);
      // Plain HTTP only to an issuer on this machine (a development identity provider).
      const local = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      configuration = oidc
        .discovery(
          url,
          settings.clientId,
          { redirect_uris: [settings.redirectUri] },
          settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
          { timeout: 10, ...(local ? { execute: [oidc.allowInsecureRequests] } : {}) },
        )
        .catch((error: unknown) => {
          configuration = null;
          throw new LivoraError('LIVORA_UNAVAILABLE', `the identity provider does not answer: ${String(error)}`);
        });
    }
    return configuration;
  }

  return {
    /**
     * Where to send the browser to log in, and the login's state, which the browser must
     * keep (a cookie) and show again at the callback; `returnTo` (a path of the console)
     * gets the tokens after.
     */
    async start(returnTo?: string): Promise<{ url: URL; state: string }> {
      if (returnTo !== undefined && !/^\/(?![/\\])[^\s\\]*$/.test(returnTo))
        throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', 'return_to must be a path of this site (/…)');
      const config = await issuer();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const verifier = oidc.randomPKCECodeVerifier();
      await sql`DELETE FROM oidc_logins WHERE created_at < now() - make_interval(mins => ${LOGIN_MINUTES})`.execute(db);
      await db
        .insertInto('oidc_logins')
        .values({ state, nonce, code_verifier: verifier, return_to: returnTo ?? null })
        .execute();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { url, state };
    },

    /**
     * The issuer's answer (the callback's query) for tokens, and where the console asked to
     * go back to. `browserState` is the state the browser kept since `start`: an answer
     * meant for another browser (someone else's login, to sign this one in as them) is refused.
     */
    async finish(
      query: string,
      browserState: string | null,
      requestId?: string,
    ): Promise<{ tokens: Tokens; returnTo: string | null }> {
      const callback = new URL(settings.redirectUri);
      callback.search = query;
      const state = callback.searchParams.get('state') ?? '';
      if (!browserState || browserState !== state)
        throw new LivoraError(
          'LIVORA_AUTH_OIDC_STATE',
          'this login was not started in this browser (its cookie is missing or another login’s): start again',
        );
      const login = await db
        .deleteFrom('oidc_logins')
        .where('state', '=', state)
        .where(sql<boolean>`created_at >= now() - make_interval(mins => ${LOGIN_MINUTES})`)
        .returningAll()
        .executeTakeFirst();
      if (!login)
        throw new LivoraError(
          'LIVORA_AUTH_OIDC_STATE',
          'this login is unknown, was used already, or took longer than 10 minutes: start again',
        );
      let claims: Record<string, unknown>;
      try {
        const answer = await oidc.authorizationCodeGrant(await issuer(), callback, {
          pkceCodeVerifier: login.code_verifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        claims = { ...answer.claims() };
      } catch (error) {
        if (error instanceof LivoraError) throw error;
        const reason = (error as { error_description?: string; error?: string }).error_description ?? String(error);
        throw new LivoraError('LIVORA_AUTH_OIDC_FAILED', `the identity provider did not log you in: ${reason}`);
      }
      const user = await userFor(claims, requestId);
      return { tokens: await deps.logins.loginVerified(user, 'oidc', requestId), returnTo: login.return_to };
    },
  };

  /** The tenant's user the claims name: found by subject, linked by verified email, or made; the role kept current. */
  async function userFor(claims: Record<string, unknown>, requestId: string | undefined): Promise<User> {
    const tenantId = claims[settings.tenantClaim];
    const role = roleFromClaim(claims[settings.roleClaim], settings.roleMap);
    const refuse = (why: string) => new LivoraError('LIVORA_AUTH_FORBIDDEN', `the identity provider's login ${why}`);
    if (typeof tenantId !== 'string' || !isTenantId(tenantId))
      throw refuse(`names no tenant (${settings.tenantClaim})`);
    if (!role) throw refuse(`gives no Livora role (${settings.roleClaim})`);
    const subject = `${settings.issuer}|${String(claims.sub)}`;
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
    return db.transaction().execute(async (tx) => {
      const tenant = await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
      if (!tenant) throw refuse(`names tenant ${tenantId}, which does not exist`);
      const audit = { tenantId, actor: 'oidc', entity: 'user', requestId: requestId ?? null };
      let row = await tx
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('oidc_subject', '=', subject)
        .forUpdate()
        .executeTakeFirst();
      if (!row && email && claims.email_verified === true) {
        // Only an email the issuer has verified may claim an existing account.
        row = await tx
          .updateTable('users')
          .set({ oidc_subject: subject })
          .where('tenant_id', '=', tenantId)
          .where('email', '=', email)
          .where('oidc_subject', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (row) await recordAudit(tx, { ...audit, action: 'user.oidc_linked', entityId: row.id, after: { subject } });
      }
      if (!row) {
        if (!isEmail(email)) throw refuse('carries no email address');
        row = await tx
          .insertInto('users')
          .values({
            id: uuidV7(),
            tenant_id: tenantId,
            email,
            name: name || email,
            role,
            password_hash: null,
            oidc_subject: subject,
          })
          .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
          .returningAll()
          .executeTakeFirst();
        // Someone else's account has this email, unverified by the issuer: no takeover.
        if (!row) throw refuse(`carries ${email}, an account of this tenant it has not verified`);
        await recordAudit(tx, {
          ...audit,
          action: 'user.created',
          entityId: row.id,
          after: { email, name: row.name, role, subject },
        });
      }
      if (row.disabled_at) throw refuse('is for a user disabled in Livora');
      if (row.role !== role) {
        await tx.updateTable('users').set({ role }).where('id', '=', row.id).execute();
        await recordAudit(tx, {
          ...audit,
          action: 'user.updated',
          entityId: row.id,
          before: { role: row.role },
          after: { role },
        });
        row = { ...row, role };
      }
      return userOf(row);
    });
  }
}

export type OidcLogin = ReturnType<typeof createOidcLogin>;
