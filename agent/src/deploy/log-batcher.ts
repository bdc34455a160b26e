import type { LogLineStream } from '@syntra/shared';

export interface BatchedLine {
  ts: string;
  stream: LogLineStream;
  line: string;
}

/** Collects instance output per (service, deployment) and sends it as `log_stream` frames every `everyMs`. */
export class LogBatcher {
  private readonly pending = new Map<string, { serviceId: string; deploymentId: string | null; lines: BatchedLine[] }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly send: (batch: { service_id: string; deployment_id: string | null; lines: BatchedLine[] }) => void,
    everyMs = 200,
  ) {
    this.timer = setInterval(() => this.flush(), everyMs);
    this.timer.unref();
  }

  add(serviceId: string, deploymentId: string | null, stream: BatchedLine['stream'], line: string) {
    const key = `${serviceId}/${deploymentId ?? ''}`;
    const entry = this.pending.get(key) ?? { serviceId, deploymentId, lines: [] };
    entry.lines.push({ ts: new Date().toISOString(), stream, line: line.slice(0, 65_536) });
    this.pending.set(key, entry);
    if (entry.lines.length >= 1000) this.flush();
  }

  flush() {
    for (const [key, e] of this.pending) {
      this.pending.delete(key);
      if (e.lines.length) this.send({ service_id: e.serviceId, deployment_id: e.deploymentId, lines: e.lines });
    }
  }

  close() {
    clearInterval(this.timer);
    this.flush();
  }
}
