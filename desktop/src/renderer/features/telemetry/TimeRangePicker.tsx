import { useState } from 'react';
import { formatRange, PRESETS, type PresetId, type TimeRange, toLocalInput } from './time-range.js';

/** Presets and a custom from/to; the choice lives in the URL (see useTimeRange). */
export function TimeRangePicker({ range, onPreset, onFixed, onRefresh }: { range: TimeRange; onPreset: (id: PresetId) => void; onFixed: (from: number, to: number) => void; onRefresh: () => void }) {
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState(toLocalInput(range.from));
  const [to, setTo] = useState(toLocalInput(range.to));
  return (
    <div className="time-range">
      <select
        aria-label="Time range"
        value={custom ? 'custom' : (range.preset ?? 'fixed')}
        onChange={(e) => {
          if (e.target.value === 'custom') {
            setFrom(toLocalInput(range.from));
            setTo(toLocalInput(range.to));
            setCustom(true);
          } else if (e.target.value !== 'fixed') {
            setCustom(false);
            onPreset(e.target.value as PresetId);
          }
        }}
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        {!range.preset && <option value="fixed">{formatRange(range)}</option>}
        <option value="custom">Custom…</option>
      </select>
      {custom && (
        <form
          className="time-range-custom"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new Date(from).getTime();
            const t = new Date(to).getTime();
            if (Number.isFinite(f) && Number.isFinite(t) && t > f) {
              onFixed(f, t);
              setCustom(false);
            }
          }}
        >
          <input type="datetime-local" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
          <input type="datetime-local" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
          <button className="btn btn-small" type="submit">
            Apply
          </button>
        </form>
      )}
      <button className="btn btn-small" onClick={onRefresh} title="Refresh (move the range to now)" aria-label="Refresh">
        ↻
      </button>
    </div>
  );
}
