/** Who sent a batch, decided by the client key (never by the payload's `service.name`). */
export interface OtlpSource {
  orgId: string;
  projectId: string;
  serviceId: string;
  /** What goes into the exporter's ServiceName column: the Syntra service's name. */
  serviceName: string;
  /** Days its rows are kept (RetentionDays, which the tables' TTL reads). */
  retentionDays: number;
}

/** Rows from one request, and how many of its items were rejected (for `partial_success`). */
export interface MappedBatch<Row> {
  rows: Row[];
  rejected: number;
  /** The first rejection's reason, for `partial_success.error_message`. */
  firstError: string | null;
}

export class Rejections {
  count = 0;
  first: string | null = null;
  reject(reason: string): void {
    this.count += 1;
    this.first ??= reason;
  }
}
