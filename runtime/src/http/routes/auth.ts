import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LoginService, Tokens } from '../../accounts/logins.ts';
import type { OidcLogin } from '../../accounts/oidc-login.ts';
import { LivoraError } from '../../errors.ts';

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

const STATE_COOKIE = 'livora_oidc_state';

/** The value of cookie `name` in a Cookie header. */
function cookie(header: string | undefined, name: string): string | null {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

/** `; Secure` when the request came over HTTPS (directly or through a proxy that says so). */
function secure(request: { protocol: string; headers: Record<string, string | string[] | undefined> }): string {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
}

/** /v1/auth: log in with a built-in account or at an OIDC issuer, refresh (rotating tokens), log out. */
export function authRoutes(deps: { logins: LoginService; oidc?: OidcLogin }): FastifyPluginAsyncTypebox {
  const common = { tags: ['auth'] };
  const oidc = () => {
    if (!deps.oidc)
      throw new LivoraError(
        'LIVORA_AUTH_OIDC_OFF',
        'set LIVORA_OIDC_ISSUER, LIVORA_OIDC_CLIENT_ID and LIVORA_OIDC_REDIRECT_URI to log in at an identity provider',
      );
    return deps.oidc;
  };
  return async (app) => {
    app.get(
      '/auth/oidc/login',
      {
        schema: {
          ...common,
          summary: 'Log in at the identity provider',
          description:
            'Redirects the browser to the configured OIDC issuer (authorization code with PKCE). The issuer sends it ' +
            'back to /v1/auth/oidc/callback, which answers with tokens.',
          querystring: Type.Object(
            {
              return_to: Type.Optional(
                Type.String({
                  maxLength: 2000,
                  description: 'A path of the console to send the browser back to, the tokens in its fragment.',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 302: Type.Null() },
        },
      },
      async (request, response) => {
        const { url, state } = await oidc().start(request.query.return_to);
        // The browser keeps the login's state: the callback takes only its own login's answer.
        return response
          .header(
            'set-cookie',
            `${STATE_COOKIE}=${state}; Path=/v1/auth/oidc; Max-Age=600; HttpOnly; SameSite=Lax${secure(request)}`,
          )
          .redirect(url.href, 302);
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        schema: {
          ...common,
          summary: 'The identity provider’s answer',
          description:
            'Trades the code for the user’s ID token, maps its claims to the tenant and role (LIVORA_OIDC_*_CLAIM, ' +
            'LIVORA_OIDC_ROLE_MAP), and answers with Livora tokens: as JSON, or, when the login named a `return_to`, ' +
            'by redirecting there with them in the fragment (`#access_token=…&refresh_token=…`).',
          querystring: Type.Object({}, { additionalProperties: true }),
          response: { 200: TokensReply, 302: Type.Null() },
        },
      },
      async (request, response) => {
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const { tokens, returnTo } = await oidc().finish(
          query,
          cookie(request.headers.cookie, STATE_COOKIE),
          request.id,
        );
        response.header('set-cookie', `${STATE_COOKIE}=; Path=/v1/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax`);
        if (!returnTo) return reply(tokens);
        const fragment = new URLSearchParams({
          access_token: tokens.accessToken,
          token_type: 'Bearer',
          expires_in: String(tokens.expiresIn),
          refresh_token: tokens.refreshToken,
          refresh_expires_in: String(tokens.refreshExpiresIn),
        });
        return response.header('cache-control', 'no-store').redirect(`${returnTo}#${fragment}`, 302);
      },
    );

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
