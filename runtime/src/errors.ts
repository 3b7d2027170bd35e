/**
 * The catalogue of Livora's stable error codes. Each code has one HTTP status and one
 * title; responses are RFC 9457 problem details with the code added. Codes never change
 * meaning once released: add a new one instead.
 */
export const ERRORS = {
  // HTTP and request shape
  LIVORA_HTTP_MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  LIVORA_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  LIVORA_HTTP_BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than allowed' },
  LIVORA_HTTP_INVALID_REQUEST: { status: 400, title: 'The request does not match the endpoint’s schema' },
  LIVORA_HTTP_NOT_FOUND: { status: 404, title: 'No such resource' },
  // Authentication and authorisation
  LIVORA_AUTH_MISSING: { status: 401, title: 'Credentials are required' },
  LIVORA_AUTH_MALFORMED: { status: 401, title: 'The Authorization header is malformed' },
  LIVORA_AUTH_UNKNOWN_KEY: { status: 401, title: 'The write key is not known' },
  LIVORA_AUTH_REVOKED_KEY: { status: 401, title: 'The write key has been revoked' },
  LIVORA_AUTH_TOKEN_EXPIRED: { status: 401, title: 'The token has expired' },
  LIVORA_AUTH_TOKEN_INVALID: { status: 401, title: 'The token is not valid' },
  LIVORA_AUTH_FORBIDDEN: { status: 403, title: 'The credentials do not allow this' },
  LIVORA_AUTH_INVALID_CREDENTIALS: { status: 401, title: 'The email or password is wrong' },
  LIVORA_AUTH_LOCKED: { status: 429, title: 'Too many failed logins: the account is locked for a while' },
  LIVORA_AUTH_REFRESH_INVALID: { status: 401, title: 'The refresh token is unknown, expired or revoked: log in again' },
  LIVORA_AUTH_REFRESH_REUSED: {
    status: 401,
    title: 'A refresh token was used twice: every token of that login is revoked',
  },
  LIVORA_AUTH_OIDC_OFF: { status: 404, title: 'Login with an identity provider is not configured' },
  LIVORA_AUTH_OIDC_STATE: { status: 400, title: 'The login is unknown, used already or expired: start again' },
  LIVORA_AUTH_OIDC_FAILED: { status: 401, title: 'The identity provider did not log the user in' },
  // Ingestion
  LIVORA_INGEST_BATCH_TOO_LARGE: { status: 400, title: 'The batch holds more events than allowed' },
  LIVORA_INGEST_BATCH_EMPTY: { status: 400, title: 'The batch holds no events' },
  LIVORA_INGEST_ALL_REJECTED: { status: 400, title: 'Every event of the request was rejected' },
  LIVORA_INGEST_LOG_UNAVAILABLE: { status: 503, title: 'The event log cannot take writes right now' },
  LIVORA_RATE_LIMITED: { status: 429, title: 'Too many events: slow down and retry after the given delay' },
  // Per-event rejections (reported inside a 202, or as the error of a single-event request)
  LIVORA_EVENT_INVALID: { status: 400, title: 'The event does not match the canonical event schema' },
  LIVORA_EVENT_UNKNOWN_TYPE: {
    status: 400,
    title: 'The event type is not one of track, identify, page, screen, group, alias',
  },
  LIVORA_EVENT_IDENTITY_MISSING: { status: 400, title: 'The event has neither user_id nor anonymous_id' },
  LIVORA_EVENT_TOO_LARGE: { status: 400, title: 'The event is larger than 32 KB' },
  LIVORA_EVENT_SCHEMA_MISMATCH: { status: 400, title: 'The event does not match its registered schema' },
  // Schema registry
  LIVORA_SCHEMA_INVALID: { status: 400, title: 'The schema is not one the registry accepts' },
  LIVORA_SCHEMA_INCOMPATIBLE: { status: 409, title: 'The new schema version is not backward compatible' },
  LIVORA_SCHEMA_NOT_FOUND: { status: 404, title: 'No such schema or version' },
  LIVORA_SCHEMA_CONFLICT: { status: 409, title: 'Another registration of this schema won: read it and retry' },
  // Profiles
  LIVORA_PROFILE_NOT_FOUND: { status: 404, title: 'No profile for this id' },
  // Analytics
  LIVORA_ANALYTICS_INVALID_CURSOR: { status: 400, title: 'The cursor is not one this endpoint gave out' },
  LIVORA_ANALYTICS_INVALID_QUERY: { status: 400, title: 'The analytics query is not one that can be answered' },
  LIVORA_ANALYTICS_UNSUPPORTED: { status: 422, title: 'The warehouse cannot answer this query exactly' },
  LIVORA_ANALYTICS_UNAVAILABLE: { status: 503, title: 'The warehouse is not configured or does not answer' },
  LIVORA_ANALYTICS_FUNNEL_EXISTS: { status: 409, title: 'The tenant has a saved funnel of this name' },
  LIVORA_ANALYTICS_FUNNEL_NOT_FOUND: { status: 404, title: 'No such saved funnel' },
  // Pipeline
  LIVORA_DEAD_LETTER_NOT_FOUND: { status: 404, title: 'No such dead letter waiting for a replay' },
  // Accounts and audit
  LIVORA_USER_EXISTS: { status: 409, title: 'The tenant has a user with this email' },
  LIVORA_USER_NOT_FOUND: { status: 404, title: 'No such user' },
  LIVORA_USER_LAST_ADMIN: { status: 409, title: 'The change would leave the tenant without an active admin' },
  LIVORA_USER_INVALID: { status: 400, title: 'The user’s email, role or password is not acceptable' },
  LIVORA_AUDIT_INVALID_CURSOR: { status: 400, title: 'The cursor is not one this endpoint gave out' },
  // CRM
  LIVORA_CRM_NOT_FOUND: { status: 404, title: 'No such record' },
  LIVORA_CRM_STALE_VERSION: { status: 409, title: 'The record changed since that version: here is the current one' },
  LIVORA_CRM_DUPLICATE: { status: 409, title: 'Another record has this email or domain' },
  LIVORA_CRM_INVALID: { status: 400, title: 'The record refers to something that does not exist' },
  LIVORA_CRM_INVALID_FIELD: { status: 400, title: 'A custom field is unknown or its value is not of its type' },
  LIVORA_CRM_FIELD_IN_USE: { status: 409, title: 'Records hold values of this custom field' },
  LIVORA_CRM_UNKNOWN_STAGE: { status: 400, title: 'The stage is not one of the deal’s pipeline' },
  LIVORA_CRM_CLOSED: { status: 409, title: 'The deal is won or lost: reopen it first' },
  LIVORA_CRM_BULK_TOO_LARGE: { status: 400, title: 'A bulk change takes at most 100,000 contacts' },
  LIVORA_CRM_CSV_MALFORMED: { status: 400, title: 'The file is not a CSV of contacts this endpoint reads' },
  LIVORA_CRM_IMPORT_INVALID: { status: 400, title: 'Rows of the file are not valid: nothing was imported' },
  LIVORA_CRM_INVALID_CURSOR: { status: 400, title: 'The cursor is not one this endpoint gave out' },
  // Tenants and keys
  LIVORA_TENANT_NOT_FOUND: { status: 404, title: 'No such tenant' },
  LIVORA_TENANT_EXISTS: { status: 409, title: 'A tenant with this id exists' },
  LIVORA_TENANT_INVALID_ID: { status: 400, title: 'Tenant ids are 2–63 lowercase letters, digits and hyphens' },
  LIVORA_KEY_NOT_FOUND: { status: 404, title: 'No such write key' },
  LIVORA_KEY_INVALID_LIMIT: { status: 400, title: 'A key’s burst must hold at least one full batch (100 events)' },
  // Everything else
  LIVORA_INTERNAL: { status: 500, title: 'Internal error' },
  LIVORA_UNAVAILABLE: { status: 503, title: 'The service is shutting down, or a store it needs does not answer' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An expected failure with a stable code; anything else reaching the handler is a bug. */
export class LivoraError extends Error {
  override readonly name = 'LivoraError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  constructor(
    code: ErrorCode,
    message?: string,
    details?: Readonly<Record<string, unknown>>,
    headers?: Readonly<Record<string, string>>,
  ) {
    super(message ?? ERRORS[code].title);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
    this.headers = headers;
  }
}
