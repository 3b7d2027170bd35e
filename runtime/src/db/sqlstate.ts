/** PostgreSQL error codes (SQLSTATE) the engine tells apart, by their names in PostgreSQL's appendix A. */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  /** "cached plan must not change result type": a table changed under a prepared `SELECT *`. */
  FEATURE_NOT_SUPPORTED: '0A000',
} as const;
