/** SQLSTATE codes the system reacts to, by meaning. Never compare against bare literals elsewhere. */
export const SqlState = {
  // class 23: integrity constraint violations
  NOT_NULL_VIOLATION: '23502',
  FOREIGN_KEY_VIOLATION: '23503',
  UNIQUE_VIOLATION: '23505',
  CHECK_VIOLATION: '23514',
  EXCLUSION_VIOLATION: '23P01',
  // class 22: data exceptions (bad input that reached SQL)
  INVALID_TEXT_REPRESENTATION: '22P02',
  INVALID_DATETIME_FORMAT: '22007',
  DATETIME_FIELD_OVERFLOW: '22008',
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  STRING_DATA_RIGHT_TRUNCATION: '22001',
  INVALID_PARAMETER_VALUE: '22023',
  // a NUL byte (0x00) in text, which PostgreSQL cannot store
  CHARACTER_NOT_IN_REPERTOIRE: '22021',
  UNTRANSLATABLE_CHARACTER: '22P05',
  // class 40 / 55 / 57: concurrency and availability
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
  ADMIN_SHUTDOWN: '57P01',
  CANNOT_CONNECT_NOW: '57P03',
  // class 42: objects and privileges (42501 is also a row-level security WITH CHECK failure)
  INSUFFICIENT_PRIVILEGE: '42501',
  UNDEFINED_TABLE: '42P01',
  UNDEFINED_FUNCTION: '42883',
  UNDEFINED_COLUMN: '42703',
  DUPLICATE_OBJECT: '42710',
  DUPLICATE_DATABASE: '42P04',
  // class P0: raised by our own PL/pgSQL rules (RAISE ... USING ERRCODE)
  RAISE_EXCEPTION: 'P0001',
} as const;
