/**
 * The TransactionProcessor the Sentry intake's workers call: transactions → spans in otel_traces.
 * A transaction that is not one (no trace context) is skipped and logged, not retried: redelivery
 * would not make it valid.
 */
import type { Logger } from '../../../logger.js';
import type { ReceivedTransaction, TransactionProcessor } from '../../ingest/ports.js';
import { mapSentryTransaction } from './map-sentry-transaction.js';
import type { TelemetryWriter } from '../store/index.js';
import { DEFAULT_RETENTION_DAYS, type RetentionLookup, type ServiceNameLookup } from './otlp.service.js';
import { SentryTransactionSchema } from './sentry-transaction.schemas.js';

export class SentryTransactionProcessor implements TransactionProcessor {
  constructor(
    private readonly writer: Pick<TelemetryWriter, 'write'>,
    private readonly serviceName: ServiceNameLookup,
    private readonly logger: Logger,
    private readonly retentionDays: RetentionLookup = async () => DEFAULT_RETENTION_DAYS,
  ) {}

  async process(transactions: ReceivedTransaction[]): Promise<void> {
    const writes: Array<Promise<void>> = [];
    const names = new Map<string, string>();
    const retention = new Map<string, number>();
    for (const tx of transactions) {
      const parsed = SentryTransactionSchema.safeParse(tx.payload);
      if (!parsed.success) {
        this.logger.warn({ event_id: tx.eventId, service_id: tx.serviceId, issue: parsed.error.issues[0]?.message }, 'Sentry transaction without a usable trace context: skipped');
        continue;
      }
      let name = names.get(tx.serviceId);
      if (name === undefined) {
        name = (await this.serviceName(tx.serviceId)) ?? tx.serviceId;
        names.set(tx.serviceId, name);
      }
      let retentionDays = retention.get(tx.orgId);
      if (retentionDays === undefined) {
        retentionDays = await this.retentionDays(tx.orgId);
        retention.set(tx.orgId, retentionDays);
      }
      const source = { orgId: tx.orgId, projectId: tx.projectId, serviceId: tx.serviceId, serviceName: name, retentionDays };
      const { rows } = mapSentryTransaction(parsed.data, tx.eventId, source);
      // Idempotent per (serviceId, eventId): the rows are a pure function of the transaction and the
      // insert carries this token, so a redelivered transaction is stored once (the store's dedup window).
      writes.push(this.writer.write('otel_traces', rows, { dedupToken: `sentry-transaction:${tx.serviceId}:${tx.eventId}` }));
    }
    await Promise.all(writes);
  }
}
