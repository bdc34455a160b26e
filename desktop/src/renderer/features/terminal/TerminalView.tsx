import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { openTerminalSession, type TerminalTargetInput } from './open-session.js';
import { type ConnectionState, TerminalConnection } from './terminal-connection.js';

export interface TerminalViewProps {
  serverId: string;
  target: TerminalTargetInput;
  /** Hidden tabs stay mounted (their sessions keep running); the visible one is fitted and focused. */
  active: boolean;
  record?: boolean;
  onStatus?(status: string): void;
}

function statusText(state: ConnectionState, exit: { code: number | null; signal: string | null } | null, detail?: string) {
  if (exit) return exit.signal ? `ended (${exit.signal})` : `ended (exit ${exit.code ?? '?'})`;
  if (state === 'ended') return detail ? `ended: ${detail}` : 'ended';
  if (state === 'reconnecting') return 'reconnecting… (the session keeps running on the server)';
  return state;
}

/** One terminal: xterm.js with fit, search and web links, attached to a session on a server. */
export function TerminalView({ serverId, target, active, record = false, onStatus }: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const [status, setStatus] = useState('connecting');
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const statusRef = useRef(onStatus);
  statusRef.current = onStatus;

  useEffect(() => {
    const t = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', scrollback: 10_000, convertEol: false });
    const f = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(f);
    t.loadAddon(s);
    // Links open outside the console (the desktop app sends them to the system browser).
    t.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    t.open(host.current!);
    f.fit();
    term.current = t;
    fit.current = f;
    search.current = s;

    let exit: { code: number | null; signal: string | null } | null = null;
    let conn: TerminalConnection | null = null;
    let disposed = false;
    const show = (state: ConnectionState, detail?: string) => {
      const text = statusText(state, exit, detail);
      setStatus(text);
      statusRef.current?.(text);
    };
    t.attachCustomKeyEventHandler((ev) => {
      if (ev.type === 'keydown' && ev.ctrlKey && ev.shiftKey && ev.key.toLowerCase() === 'f') {
        setSearching(true);
        return false;
      }
      return true;
    });
    openTerminalSession(serverId, { cols: t.cols, rows: t.rows }, target, record)
      .then((opened) => {
        if (disposed) return;
        conn = new TerminalConnection(opened.wsUrl, opened.sessionId, opened.ticket, {
          output: (data, done) => t.write(data, done),
          message: (msg) => {
            if (msg.type === 'exit') {
              exit = { code: msg.exit_code, signal: msg.signal };
              show('ended');
            } else if (msg.type === 'error') setError(msg.message);
          },
          state: show,
        });
        t.onData((d) => conn?.type(d));
        t.onResize(({ cols, rows }) => conn?.resize(cols, rows));
        conn.connect();
      })
      .catch((err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        show('ended');
      });

    const observer = new ResizeObserver(() => requestAnimationFrame(() => host.current?.offsetParent && f.fit()));
    observer.observe(host.current!);
    return () => {
      disposed = true;
      observer.disconnect();
      conn?.close();
      conn?.dispose();
      t.dispose();
    };
  }, [serverId, target, record]);

  useEffect(() => {
    if (!active) return;
    requestAnimationFrame(() => {
      fit.current?.fit();
      term.current?.focus();
    });
  }, [active]);

  return (
    <div className="term-view" hidden={!active}>
      <div className="term-bar">
        <span className="term-status" data-testid="terminal-status">
          {status}
        </span>
        {error && <span className="term-error">{error}</span>}
        <button className="btn btn-small btn-ghost" onClick={() => setSearching((v) => !v)} title="Search (Ctrl+Shift+F)">
          Search
        </button>
      </div>
      {searching && (
        <div className="term-search">
          <input
            autoFocus
            value={query}
            placeholder="Find in terminal"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void (e.shiftKey ? search.current?.findPrevious(query) : search.current?.findNext(query));
              if (e.key === 'Escape') {
                setSearching(false);
                term.current?.focus();
              }
            }}
          />
        </div>
      )}
      <div className="term-host" ref={host} data-testid="terminal" />
    </div>
  );
}
