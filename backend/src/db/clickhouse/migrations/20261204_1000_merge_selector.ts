// Fewer rewrites of each row by background merges on the high-volume telemetry tables. With
// ClickHouse's default (merge_selector_base = 5) merges were ~30% of the ingest process's CPU in
// `npm run bench -- telemetry` (11.8 s of 39 for 1 M log records): every 16–20k-row insert is a part,
// and each row was merged into a bigger part several times over, its ZSTD columns and skip indexes
// built again each time. A base of 10 merges more parts at once and less often: 6–8 s for the
// same rows, ~12% less CPU per record, at the price of a few more parts per partition between
// merges (a search reads each part's primary index; seconds-old parts are small).
const TABLES = ['otel_logs', 'otel_traces', 'otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram', 'otel_metrics_exponential_histogram', 'otel_metrics_summary'];

export const statements: readonly string[] = TABLES.map((t) => `ALTER TABLE ${t} MODIFY SETTING merge_selector_base = 10`);
