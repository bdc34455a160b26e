import { roleCan } from '@syntra/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useRole } from '../lib/can.js';
import { useSession } from '../lib/session.js';
import { useTheme } from '../lib/theme.js';
import { ACTIONS, NAV } from '../nav.js';

interface Entry {
  id: string;
  label: string;
  hint: string;
  run: () => void;
  keywords: string;
}

/** Ctrl/Cmd-K: jump to any page, any cached server or project, or run a console action. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const navigate = useNavigate();
  const role = useRole();
  const orgs = useSession((s) => s.orgs);
  const setOrg = useSession((s) => s.setOrg);
  const toggleTheme = useTheme((s) => s.toggle);
  const client = useQueryClient();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
        setQuery('');
        setIndex(0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const entries = useMemo<Entry[]>(() => {
    if (!open) return [];
    const allowed = (p?: Parameters<typeof roleCan>[1]) => !p || (role !== null && roleCan(role, p));
    const go = (path: string) => () => navigate(path);
    const list: Entry[] = [
      ...NAV.filter((n) => allowed(n.permission)).map((n) => ({ id: `nav:${n.path}`, label: n.label, hint: 'Go to', run: go(n.path), keywords: n.keywords ?? '' })),
      ...ACTIONS.filter((n) => allowed(n.permission)).map((n) => ({ id: `act:${n.path}`, label: n.label, hint: 'Action', run: go(n.path), keywords: n.keywords ?? '' })),
      { id: 'theme', label: 'Toggle light/dark theme', hint: 'Action', run: toggleTheme, keywords: 'dark light appearance' },
      ...orgs.map((o) => ({ id: `org:${o.id}`, label: `Switch to ${o.name}`, hint: 'Organisation', run: () => setOrg(o.id), keywords: o.slug })),
    ];
    // Whatever lists are already cached (servers, projects) become jump targets too.
    for (const [key, data] of client.getQueriesData<{ items?: { id: string; name: string }[] } | { id: string; name: string }[]>({ predicate: (q) => ['servers', 'projects'].includes(String(q.queryKey[0])) && q.queryKey.length === 2 })) {
      const items = Array.isArray(data) ? data : (data?.items ?? []);
      const kind = String(key[0]);
      for (const item of items.slice(0, 500)) {
        if (!item || typeof item.name !== 'string') continue;
        list.push({ id: `${kind}:${item.id}`, label: item.name, hint: kind === 'servers' ? 'Server' : 'Project', run: go(`/${kind}/${item.id}`), keywords: kind });
      }
    }
    return list;
  }, [open, role, orgs, navigate, setOrg, toggleTheme, client]);

  const q = query.trim().toLowerCase();
  const shown = (q ? entries.filter((e) => `${e.label} ${e.keywords} ${e.hint}`.toLowerCase().includes(q)) : entries).slice(0, 50);
  if (!open) return null;

  const choose = (entry: Entry | undefined) => {
    if (!entry) return;
    setOpen(false);
    entry.run();
  };
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
      <div className="palette" role="dialog" aria-label="Command palette">
        <input
          autoFocus
          placeholder="Jump to a page, server, project or action…"
          value={query}
          aria-label="Search commands"
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, shown.length - 1));
            else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
            else if (e.key === 'Enter') choose(shown[index]);
            else if (e.key === 'Escape') setOpen(false);
            else return;
            e.preventDefault();
          }}
        />
        <ul role="listbox">
          {shown.length === 0 && <li className="muted palette-empty">Nothing matches “{query}”.</li>}
          {shown.map((entry, i) => (
            <li key={entry.id} role="option" aria-selected={i === index} className={i === index ? 'active' : ''} onMouseEnter={() => setIndex(i)} onClick={() => choose(entry)}>
              <span>{entry.label}</span>
              <span className="muted small">{entry.hint}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
