import type { SeverityLevel } from '@syntra/shared';

/** The same rule as LEVEL_SQL (log-sql.ts), for rows that never went through a query (the live tail). */
export function levelOf(severityNumber: number | undefined, severityText: string | undefined): SeverityLevel {
  const n = severityNumber ?? 0;
  if (n >= 21) return 'fatal';
  if (n >= 17) return 'error';
  if (n >= 13) return 'warn';
  if (n >= 9) return 'info';
  if (n >= 5) return 'debug';
  if (n >= 1) return 'trace';
  const t = (severityText ?? '').toLowerCase();
  if (['fatal', 'critical', 'crit', 'panic', 'emerg', 'alert'].includes(t)) return 'fatal';
  if (t === 'error' || t === 'err') return 'error';
  if (t === 'warn' || t === 'warning') return 'warn';
  if (t === 'debug') return 'debug';
  if (t === 'trace') return 'trace';
  return 'info';
}
