export type { HostSample, IoRates, ServerMetricsStore, ServiceSample } from './server-metrics.store.js';
export { ChServerMetricsStore, type MeteredService } from './ch-server-metrics.store.js';
