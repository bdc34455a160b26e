function show(v: unknown): string {
  if (v == null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A small two-column table of an event's tags, request headers, user or context fields; empty values skipped. */
export function KeyValues({ entries, empty, label }: { entries: readonly (readonly [string, unknown])[]; empty: string; label: string }) {
  const rows = entries.filter(([, v]) => v != null && v !== '');
  if (rows.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <table className="table kv" aria-label={label}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>
              <code className="kv-value">{show(v)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Tags as chips, the way they are scanned for a pattern (browser, release, server_name…). */
export function TagChips({ tags }: { tags: readonly (readonly [string, string])[] }) {
  if (tags.length === 0) return <p className="muted small">No tags.</p>;
  return (
    <ul className="tag-chips" aria-label="Tags">
      {tags.map(([k, v]) => (
        <li key={k} className="chip tag-chip">
          <span className="muted">{k}</span> <strong>{v}</strong>
        </li>
      ))}
    </ul>
  );
}
