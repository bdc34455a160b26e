// The telemetry module (issue 13). Each part appends its exports: store (clickhouse), otlp, query (observe).
export * from './store/index.js';
