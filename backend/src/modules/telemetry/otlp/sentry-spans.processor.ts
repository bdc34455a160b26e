/**
 * The SpanProcessor the Sentry intake's workers call: span v2 containers (what `@sentry/node` 11
 * sends by default) → spans in otel_traces. A container that is not one is skipped and logged, not
 * retried: redelivery would not make it valid.
 */
import type { Logger } from '../../../logger.js';
import type { ReceivedSpans, SpanProcessor } from '../../ingest/ports.js';
import type { TelemetryWriter } from '../store/index.js';
import { mapSentrySpans } from './map-sentry-spans.js';
import { DEFAULT_RETENTION_DAYS, type RetentionLookup, type ServiceNameLookup } from './otlp.service.js';
import { SpanV2ContainerSchema } from './sentry-span-v2.schemas.js';

export class SentrySpanProcessor implements SpanProcessor {
  constructor(
    private readonly writer: Pick<TelemetryWriter, 'write'>,
    private readonly serviceName: ServiceNameLookup,
    private readonly logger: Logger,
    private readonly retentionDays: RetentionLookup = async () => DEFAULT_RETENTION_DAYS,
  ) {}

  async process(containers: ReceivedSpans[]): Promise<void> {
    const writes: Array<Promise<void>> = [];
    const names = new Map<string, string>();
    const retention = new Map<string, number>();
    for (const c of containers) {
      const parsed = SpanV2ContainerSchema.safeParse(c.payload);
      if (!parsed.success) {
        this.logger.warn({ event_id: c.eventId, service_id: c.serviceId, issue: parsed.error.issues[0]?.message }, 'Sentry span item that is not a span v2 container: skipped');
        continue;
      }
      let name = names.get(c.serviceId);
      if (name === undefined) {
        name = (await this.serviceName(c.serviceId)) ?? c.serviceId;
        names.set(c.serviceId, name);
      }
      let retentionDays = retention.get(c.orgId);
      if (retentionDays === undefined) {
        retentionDays = await this.retentionDays(c.orgId);
        retention.set(c.orgId, retentionDays);
      }
      const { rows, skipped } = mapSentrySpans(parsed.data.items, { orgId: c.orgId, projectId: c.projectId, serviceId: c.serviceId, serviceName: name, retentionDays });
      if (skipped) this.logger.warn({ event_id: c.eventId, service_id: c.serviceId, skipped }, 'spans of a Sentry span item that were not spans: skipped');
      if (!rows.length) continue;
      // Idempotent per (serviceId, eventId): the queue row's id travels with its redelivery, the rows
      // are a pure function of the container, and the insert carries this token (the store's dedup window).
      writes.push(this.writer.write('otel_traces', rows, { dedupToken: `sentry-spans:${c.serviceId}:${c.eventId}` }));
    }
    await Promise.all(writes);
  }
}
