import { Type } from 'typebox';
import { SQLSTATE } from '../db/sqlstate.ts';
import { ERRORS, type ErrorCode, LivoraError } from '../errors.ts';

/** RFC 9457 problem details, with Livora's stable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the error code.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code, e.g. LIVORA_INGEST_BATCH_TOO_LARGE.' }),
    request_id: Type.String(),
  },
  { additionalProperties: true, $id: 'Problem', title: 'Problem' },
);

export interface ProblemReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
}

export function problemOf(error: LivoraError, requestId: string): ProblemReply {
  const { status, title } = ERRORS[error.code];
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...error.headers },
    body: {
      type: `https://docs.livora.io/errors/${error.code}`,
      title,
      status,
      detail: error.message,
      code: error.code,
      request_id: requestId,
      ...error.details,
    },
  };
}

/** What Fastify's own errors mean in Livora's catalogue. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'LIVORA_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'LIVORA_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'LIVORA_HTTP_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'LIVORA_HTTP_MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'LIVORA_HTTP_INVALID_REQUEST',
};

/** Any error reaching the handler, as a LivoraError; `null` for a bug (answered as 500). */
export function asLivoraError(error: unknown): LivoraError | null {
  if (error instanceof LivoraError) return error;
  const e = error as Error & { code?: string; statusCode?: number; validation?: unknown[]; validationContext?: string };
  if (e.validation) {
    return new LivoraError(
      'LIVORA_HTTP_INVALID_REQUEST',
      `${e.validationContext ?? 'request'} ${e.message ?? ''}`.trim(),
    );
  }
  const mapped = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return new LivoraError(mapped, e.message);
  if (e.name === 'SyntaxError' && e.statusCode === 400) return new LivoraError('LIVORA_HTTP_MALFORMED_JSON', e.message);
  if (isNulRefused(e)) {
    // Checked here, once for every route, rather than in each schema: only PostgreSQL refuses it.
    return new LivoraError('LIVORA_HTTP_INVALID_REQUEST', 'text may not contain NUL (U+0000)');
  }
  if (isStoreOutage(e)) {
    return new LivoraError('LIVORA_UNAVAILABLE', `a store the request needs does not answer: ${e.message}`, undefined, {
      'retry-after': '5',
    });
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new LivoraError('LIVORA_HTTP_INVALID_REQUEST', e.message);
  }
  return null;
}

/**
 * PostgreSQL refused a NUL (U+0000), which its text cannot hold: as text (22021, "0x00")
 * or as a JSON escape for jsonb (22P05, "\u0000"). The same codes also mean a database
 * whose encoding cannot hold the text: a fault of the server's, left a 500.
 */
function isNulRefused(e: Error & { code?: string; detail?: string }): boolean {
  if (e.code !== SQLSTATE.CHARACTER_NOT_IN_REPERTOIRE && e.code !== SQLSTATE.UNTRANSLATABLE_CHARACTER) return false;
  return /: 0x00$/.test(e.message) || (e.detail ?? '').includes('\\u0000');
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * PostgreSQL or Redis unreachable, overloaded, restarting or refusing connections: the
 * request may succeed later (503), it is not a bug (500). SQLSTATE classes 08
 * (connection), 28 (authorisation), 3D (no such database), 53 (resources), 55 (not
 * accepting connections, lock not available), 57P (operator intervention); pg's pool
 * timeout; ioredis giving up.
 */
function isStoreOutage(e: Error & { code?: string }): boolean {
  if (e.code && (NETWORK_CODES.has(e.code) || /^(08|28|3D|53|55|57P)/.test(e.code))) return true;
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    /timeout exceeded when trying to connect|Connection terminated/.test(e.message)
  );
}
