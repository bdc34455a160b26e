// Columns the error module's events carry (issue 12's ErrorEventStore: the hashed user behind the
// issue's user count, the stored payload's size), so its ClickHouse store can keep them as
// PostgreSQL does today.
export const statements: readonly string[] = [
  'ALTER TABLE error_events ADD COLUMN IF NOT EXISTS UserIdHash String CODEC(ZSTD(1)) AFTER Fingerprint',
  'ALTER TABLE error_events ADD COLUMN IF NOT EXISTS PayloadSize UInt32 AFTER Payload',
];
