const CACHE_MS = 60_000;

/**
 * How many days an org's telemetry rows are kept: each row carries it (RetentionDays) and
 * ClickHouse's TTL deletes the row after. The org's own setting, else the installation default;
 * looked up at most once a minute per org (intakes ask on every batch). A changed setting applies
 * to rows written from then on.
 */
export class TelemetryRetention {
  private readonly cache = new Map<string, { at: number; days: number }>();

  constructor(
    private readonly lookup: (orgId: string) => Promise<number | null>,
    private readonly defaultDays: number,
  ) {}

  async days(orgId: string): Promise<number> {
    const hit = this.cache.get(orgId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.days;
    const days = (await this.lookup(orgId)) ?? this.defaultDays;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(orgId, { at: Date.now(), days });
    return days;
  }
}
