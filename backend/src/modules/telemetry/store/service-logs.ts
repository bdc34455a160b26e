import { type ClickHouse, selectRows } from '../../../db/clickhouse/index.js';
import { chTime, fromChTime } from './otel-rows.js';

export interface RuntimeLogLine {
  ts: string;
  deployment_id: string | null;
  stream: string;
  line: string;
}

/**
 * A service's runtime output as the seed's `GET /services/:id/logs` shows it (the last `tail`
 * lines in a time range, oldest first), read from `otel_logs`.
 */
export class ServiceLogReader {
  constructor(private readonly ch: ClickHouse) {}

  async recent(orgId: string, serviceId: string, q: { since?: string | undefined; until?: string | undefined; tail: number }): Promise<RuntimeLogLine[]> {
    const where = ['OrgId = {org:UUID}', 'ServiceId = {service:UUID}'];
    const params: Record<string, unknown> = { org: orgId, service: serviceId, tail: q.tail };
    if (q.since) {
      where.push('Timestamp >= {since:DateTime64(9)}');
      params.since = chTime(q.since);
    }
    if (q.until) {
      where.push('Timestamp <= {until:DateTime64(9)}');
      params.until = chTime(q.until);
    }
    const rows = await selectRows<{ ts: string; deployment_id: string; stream: string; line: string }>(
      this.ch,
      `SELECT toString(Timestamp) AS ts, DeploymentId AS deployment_id, LogAttributes['log.iostream'] AS stream, Body AS line
       FROM otel_logs WHERE ${where.join(' AND ')}
       ORDER BY Timestamp DESC LIMIT {tail:UInt32}`,
      params,
      { max_execution_time: 10 },
    );
    return rows.reverse().map((r) => ({ ts: fromChTime(r.ts), deployment_id: r.deployment_id || null, stream: r.stream || 'stdout', line: r.line }));
  }
}
