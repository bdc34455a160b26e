import type { TelemetryTable, TelemetryTables, TelemetryWriter, WriteOptions } from '../store/index.js';
import type { LogTailSink } from './live-tail.js';

/**
 * The store's writer, telling the live tail about log rows once they are stored (after the write
 * resolved: a tailed line is one a search finds). Every other call goes straight through.
 */
export function tailingWriter(writer: TelemetryWriter, tail: LogTailSink): TelemetryWriter {
  return {
    async write<T extends TelemetryTable>(table: T, rows: readonly TelemetryTables[T][], opts?: WriteOptions) {
      await writer.write(table, rows, opts);
      if (table === 'otel_logs') tail.notify(rows as readonly TelemetryTables['otel_logs'][]);
    },
    admit: () => writer.admit(),
    stats: () => writer.stats(),
    flush: () => writer.flush(),
    close: () => writer.close(),
  };
}
