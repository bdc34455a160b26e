export type { ErrorGroupRow, ErrorCountedEventRow, ErrorGroupReleaseRow, ErrorGroupUserRow, ErrorGroupHourlyRow, ErrorRetentionRow } from './errors.tables.js';
export { ErrorIngestService } from './error-ingest.service.js';
export { IssueService, type NoticedIssue } from './issues.service.js';
export { ErrorRetentionService, DEFAULT_ERROR_RETENTION_DAYS } from './retention.service.js';
export { issueRoutes } from './issues.routes.js';
export type { ErrorEventStore } from './store/event-store.js';
export { ClickHouseErrorEventStore } from './store/clickhouse-event-store.js';
export { buildErrorModule, type ErrorModule, type ErrorModuleDeps } from './error-module.js';
