export type { HostSample, ServerMetricsStore } from './server-metrics.store.js';
export { PgServerMetricsStore } from './pg-server-metrics.store.js';
