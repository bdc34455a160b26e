import { INT4_MAX, INT4_MIN, isStorableTimestamp, type TelemetryItem } from '@syntra/shared';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isInt4 = (v: number | null | undefined) => v == null || (v >= INT4_MIN && v <= INT4_MAX);

/**
 * Whether one telemetry item fits the columns it is stored in. The agent is the tenant's
 * software: an item the database would refuse (a service id that is not a uuid, a year-0 time, a
 * status code past int4) is dropped alone. Refusing the batch instead would fail its insert on
 * every resend, and the agent would retry that batch forever behind everything it buffered since.
 */
export function isStorableItem(item: TelemetryItem): boolean {
  if (!isStorableTimestamp(item.ts)) return false;
  if (item.service_id != null && !isUuid(item.service_id)) return false;
  if (item.kind === 'metric') return Number.isFinite(item.value);
  if (item.kind === 'health_check') return isInt4(item.status_code) && isInt4(item.response_ms == null ? null : Math.round(item.response_ms));
  return true;
}
