/** The IPC messages between bench/telemetry.ts and its engine process, and the fixed ids they share. */
export const BENCH = {
  publicKey: 'pk_bench_telemetry_0000000000',
  orgId: '0e000000-0000-4000-8000-00000000000e',
  projectId: '1e000000-0000-4000-8000-00000000001e',
  /** The OTLP requests' service (the key's). */
  serviceId: '2e000000-0000-4000-8000-00000000002e',
  /** The floor's rows go to another service of the same table, so the two counts stay apart. */
  floorServiceId: '3e000000-0000-4000-8000-00000000003e',
  /** Route words of the seeded log bodies: one is what a search looks for. */
  words: ['orders', 'checkout', 'payments', 'users', 'search', 'cart', 'invoices', 'shipping', 'auth', 'reviews'],
};

export type EngineRequest =
  | { op: 'count'; table: string; serviceId: string }
  | { op: 'flush' }
  | { op: 'stats' }
  | { op: 'floor'; requests: string[]; records: number; batchRows: number; concurrency: number }
  | { op: 'seedLogs'; rows: number; services: string[]; hours: number }
  | { op: 'seedSpans'; rows: number; hours: number }
  | { op: 'settle'; maxMs: number }
  | { op: 'searchLogs'; queries: Array<{ serviceId: string; fromMs: number; toMs: number; word: string }> }
  | { op: 'traceIds'; traces: number; n: number }
  | { op: 'traceById'; traceIds: string[] };

export type EngineReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
