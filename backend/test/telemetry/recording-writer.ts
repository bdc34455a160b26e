/** A writer that keeps what it was given: for the intake tests that do not need the store itself. */
import type { OtlpRowWriter, StoreBusyError } from '../../src/modules/telemetry/index.js';

type Rows<K extends keyof OtlpRowWriter> = Parameters<OtlpRowWriter[K]>[0];

export class RecordingWriter implements OtlpRowWriter {
  logs: Rows<'writeLogs'> = [];
  traces: Rows<'writeTraces'> = [];
  metrics: Array<Rows<'writeMetrics'>> = [];
  /** Set to make every write refuse as a lagging store does. */
  busy: StoreBusyError | null = null;

  async writeLogs(rows: Rows<'writeLogs'>) {
    if (this.busy) throw this.busy;
    this.logs.push(...rows);
  }
  async writeTraces(rows: Rows<'writeTraces'>) {
    if (this.busy) throw this.busy;
    this.traces.push(...rows);
  }
  async writeMetrics(rows: Rows<'writeMetrics'>) {
    if (this.busy) throw this.busy;
    this.metrics.push(rows);
  }
  get total() {
    return this.logs.length + this.traces.length + this.metrics.length;
  }
}
