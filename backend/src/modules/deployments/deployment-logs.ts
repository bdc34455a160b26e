import type { Knex } from 'knex';
import type { LogLineStream } from '@syntra/shared';
import type { EventSink } from './ports.js';

export interface NewLogLine {
  ts?: string | undefined;
  stream: LogLineStream;
  line: string;
}

const MAX_LINE = 16_384;

/**
 * Build and deploy log lines of a deployment: stored in PostgreSQL with a per-deployment sequence
 * (so a 10 MB log is read a page or a tail at a time) and streamed live as `deployment.log`.
 */
export class DeploymentLogs {
  constructor(
    private readonly db: Knex,
    private readonly events: EventSink,
  ) {}

  async append(ref: { orgId: string; serviceId: string; deploymentId: string }, lines: readonly NewLogLine[]) {
    if (!lines.length) return;
    const clean = lines.map((l) => ({ ts: l.ts ?? new Date().toISOString(), stream: l.stream, line: l.line.replace(/\0/g, '').slice(0, MAX_LINE) }));
    const bytes = clean.reduce((n, l) => n + Buffer.byteLength(l.line) + 1, 0);
    const stored = await this.db.transaction(async (trx) => {
      // Reserving the sequence range and inserting in one transaction keeps seqs gap-free per deployment.
      const [row] = (await trx('deployments')
        .where({ id: ref.deploymentId })
        .update({ log_lines: trx.raw('log_lines + ?', [clean.length]), log_bytes: trx.raw('log_bytes + ?', [bytes]) })
        .returning('log_lines')) as Array<{ log_lines: number }>;
      if (!row) return [];
      const first = row.log_lines - clean.length + 1;
      const withSeq = clean.map((l, i) => ({ ...l, seq: first + i }));
      for (let i = 0; i < withSeq.length; i += 1000) {
        await trx('deployment_logs').insert(withSeq.slice(i, i + 1000).map((l) => ({ deployment_id: ref.deploymentId, ...l })));
      }
      return withSeq;
    });
    if (stored.length) await this.events.publish(ref.orgId, 'deployment.log', { deployment_id: ref.deploymentId, service_id: ref.serviceId, lines: stored }).catch(() => undefined);
  }

  async page(deploymentId: string, opts: { after?: number | undefined; tail?: number | undefined; limit: number }) {
    const totals = await this.db('deployments').select('log_lines', 'log_bytes').where({ id: deploymentId }).first();
    const total = totals?.log_lines ?? 0;
    let from: number;
    let limit = opts.limit;
    if (opts.after !== undefined) from = opts.after + 1;
    else {
      const tail = opts.tail ?? 500;
      from = Math.max(1, total - tail + 1);
      limit = tail;
    }
    const rows = await this.db('deployment_logs')
      .select('seq', 'ts', 'stream', 'line')
      .where({ deployment_id: deploymentId })
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(limit);
    const last = rows[rows.length - 1]?.seq ?? from - 1;
    return {
      lines: rows.map((r) => ({ seq: r.seq, ts: new Date(r.ts).toISOString(), stream: r.stream, line: r.line })),
      total_lines: total,
      total_bytes: Number(totals?.log_bytes ?? 0),
      next_after: last < total ? last : null,
    };
  }
}
