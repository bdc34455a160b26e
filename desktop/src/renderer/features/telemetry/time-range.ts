import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';

export const PRESETS = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

export interface TimeRange {
  from: number;
  to: number;
  /** The preset the range follows ("now" moves), or null for a fixed range. */
  preset: PresetId | null;
}

/**
 * The explorers' time range, kept in the URL (`range=1h`, or `from`/`to` in epoch ms) so a link
 * opens the same window. A preset is re-anchored to "now" on every refresh.
 */
export function useTimeRange(defaultPreset: PresetId = '1h') {
  const [params, setParams] = useSearchParams();
  const [anchor, setAnchor] = useState(() => Date.now());
  const fromParam = Number(params.get('from'));
  const toParam = Number(params.get('to'));
  const presetParam = PRESETS.find((p) => p.id === params.get('range'))?.id ?? null;
  const range: TimeRange = useMemo(() => {
    if (!presetParam && fromParam > 0 && toParam > fromParam) return { from: fromParam, to: toParam, preset: null };
    const preset = PRESETS.find((p) => p.id === (presetParam ?? defaultPreset))!;
    return { from: anchor - preset.ms, to: anchor, preset: preset.id };
  }, [presetParam, fromParam, toParam, anchor, defaultPreset]);

  const update = useCallback(
    (patch: Record<string, string | null>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setPreset = useCallback(
    (id: PresetId) => {
      setAnchor(Date.now());
      update({ range: id, from: null, to: null });
    },
    [update],
  );
  const setFixed = useCallback((from: number, to: number) => update({ range: null, from: String(Math.round(from)), to: String(Math.round(to)) }), [update]);
  const refresh = useCallback(() => setAnchor(Date.now()), []);
  return { range, setPreset, setFixed, refresh, params, update };
}

/** `yyyy-MM-ddThh:mm` in local time, for datetime-local inputs. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function formatRange(r: TimeRange): string {
  if (r.preset) return PRESETS.find((p) => p.id === r.preset)!.label;
  const f = (ms: number) => new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${f(r.from)} – ${f(r.to)}`;
}
