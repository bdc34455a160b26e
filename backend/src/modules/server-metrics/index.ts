export type { HostSample, ServerMetricsStore } from './server-metrics.store.js';
export { ChServerMetricsStore } from './ch-server-metrics.store.js';
