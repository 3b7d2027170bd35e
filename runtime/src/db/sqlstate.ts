/** PostgreSQL error codes (SQLSTATE) the engine tells apart, by their names in PostgreSQL's appendix A. */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  /** Text PostgreSQL cannot hold: a NUL (U+0000) or bytes that are not UTF-8. */
  CHARACTER_NOT_IN_REPERTOIRE: '22021',
  /** Text that is no value of the type it is cast to (a uuid, a number). */
  INVALID_TEXT_REPRESENTATION: '22P02',
  /** Text that is no date or time, or one out of range (February 30th). */
  INVALID_DATETIME_FORMAT: '22007',
  DATETIME_FIELD_OVERFLOW: '22008',
  /** A JSON `\u0000` escape, which jsonb cannot turn into text. */
  UNTRANSLATABLE_CHARACTER: '22P05',
  /** "cached plan must not change result type": a table changed under a prepared `SELECT *`. */
  FEATURE_NOT_SUPPORTED: '0A000',
} as const;
