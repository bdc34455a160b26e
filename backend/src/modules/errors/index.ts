export type { ErrorGroupRow, ErrorEventRow, ErrorGroupUserRow, ErrorGroupHourlyRow, ErrorRetentionRow } from './errors.tables.js';
