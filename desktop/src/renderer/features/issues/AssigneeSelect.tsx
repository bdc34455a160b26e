import { useMembers, useOrgId } from '../../lib/queries.js';

/** Assign an issue to a member of the organisation (or nobody). Read-only roles see the name only. */
export function AssigneeSelect({ value, disabled, onChange }: { value: string | null; disabled: boolean; onChange: (userId: string | null) => void }) {
  const members = useMembers(useOrgId());
  const list = members.data ?? [];
  if (disabled) {
    const m = list.find((x) => x.user.id === value)?.user;
    return <span className="muted" data-testid="assignee">{value ? (m?.name ?? m?.email ?? 'a member') : 'Unassigned'}</span>;
  }
  return (
    <select aria-label="Assignee" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">Unassigned</option>
      {list.map(({ user }) => (
        <option key={user.id} value={user.id}>
          {user.name ?? user.email}
        </option>
      ))}
    </select>
  );
}

/** A member's name from the cached members list (the issue list's assignee column). */
export function useMemberName(): (userId: string | null) => string | null {
  const members = useMembers(useOrgId());
  const byId = new Map((members.data ?? []).map((m) => [m.user.id, m.user.name ?? m.user.email]));
  return (id) => (id ? (byId.get(id) ?? 'a member') : null);
}
