import type { LogRecord, StreamEvent } from '@syntra/shared';
import { levelOf } from './levels.js';

/** What the tail needs of a stored log row (a subset of the store's OtelLogRow, same column names). */
export interface TailLogRow {
  OrgId: string;
  ServiceId?: string;
  DeploymentId?: string;
  Timestamp: string;
  TraceId?: string;
  SpanId?: string;
  SeverityText?: string;
  SeverityNumber?: number;
  ServiceName?: string;
  Body: string;
  ResourceAttributes?: Record<string, string>;
  LogAttributes?: Record<string, string>;
}

/**
 * The port the log writer path calls once rows are stored (so a tailed line is always one a search
 * finds too). The merger wires it: `tailingWriter(writer, tail)` in services.ts.
 */
export interface LogTailSink {
  notify(rows: readonly TailLogRow[]): void;
}

export interface LogTailOptions {
  /** Lines per service sent per flush at most; the rest are counted as skipped. */
  maxLinesPerFlush: number;
  flushMs: number;
}

export const DEFAULT_TAIL_OPTIONS: LogTailOptions = { maxLinesPerFlush: 200, flushMs: 1000 };

interface Buffer {
  orgId: string;
  serviceId: string | null;
  lines: LogRecord[];
  skipped: number;
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** A tailed line's body is cut here (a search returns it whole): a stream event stays small whatever the apps log. */
export const TAIL_BODY_MAX = 8 * 1024;

/** `YYYY-MM-DD hh:mm:ss.fffffffff` (UTC, the store's form) → unix nanoseconds. */
function nanosOf(chTime: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?/.exec(chTime);
  if (!m) return BigInt(Date.parse(chTime) || 0) * 1_000_000n;
  const secs = BigInt(Date.parse(`${m[1]}T${m[2]}Z`) / 1000);
  return secs * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
}

export function tailRecord(r: TailLogRow): LogRecord {
  const ns = nanosOf(r.Timestamp);
  const serviceId = r.ServiceId && r.ServiceId !== ZERO_UUID ? r.ServiceId : null;
  return {
    // Hash 0: the tail does not hash lines; the context route finds the stored line by its time.
    id: `${ns}-0`,
    timestamp: new Date(Number(ns / 1_000_000n)).toISOString(),
    timestamp_ns: ns.toString(),
    severity: levelOf(r.SeverityNumber, r.SeverityText),
    severity_text: r.SeverityText ?? '',
    severity_number: r.SeverityNumber ?? 0,
    body: r.Body.length > TAIL_BODY_MAX ? `${r.Body.slice(0, TAIL_BODY_MAX)}…` : r.Body,
    service_id: serviceId,
    service_name: r.ServiceName ?? '',
    attributes: r.LogAttributes ?? {},
    resource_attributes: r.ResourceAttributes ?? {},
    trace_id: r.TraceId ?? '',
    span_id: r.SpanId ?? '',
    deployment_id: r.DeploymentId || null,
  };
}

type Publish = (events: StreamEvent[]) => Promise<void>;

/**
 * Live tail: stored log lines go to consoles as `logs.tail` stream events, one per service per
 * second, at most `maxLinesPerFlush` lines each (the newest); the rest are counted in `skipped`,
 * which the console shows as "N lines skipped". Memory is bounded the same way: a buffer never
 * holds more than the lines it may send. Consoles apply their filters to what arrives (the same
 * filters as the search), so one event serves every open explorer of the organisation.
 */
export class LogTail implements LogTailSink {
  private readonly buffers = new Map<string, Buffer>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly publish: Publish,
    private readonly options: LogTailOptions = DEFAULT_TAIL_OPTIONS,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  notify(rows: readonly TailLogRow[]): void {
    for (const r of rows) {
      const serviceId = r.ServiceId && r.ServiceId !== ZERO_UUID ? r.ServiceId : null;
      const key = `${r.OrgId}|${serviceId ?? ''}`;
      let b = this.buffers.get(key);
      if (!b) {
        b = { orgId: r.OrgId, serviceId, lines: [], skipped: 0 };
        this.buffers.set(key, b);
      }
      if (b.lines.length >= this.options.maxLinesPerFlush) {
        b.lines.shift();
        b.skipped += 1;
      }
      b.lines.push(tailRecord(r));
    }
    if (!this.timer && this.buffers.size > 0) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const buffers = [...this.buffers.values()];
    this.buffers.clear();
    if (buffers.length === 0) return;
    const at = new Date().toISOString();
    const events: StreamEvent<'logs.tail'>[] = buffers.map((b) => ({
      type: 'logs.tail',
      org_id: b.orgId,
      at,
      data: { service_id: b.serviceId, lines: b.lines, skipped: b.skipped },
    }));
    await this.publish(events).catch(this.onError);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
