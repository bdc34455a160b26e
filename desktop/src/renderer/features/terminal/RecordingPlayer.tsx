import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { contracts } from '@syntra/shared';
import { urlOf } from '../../lib/api-client.js';
import { useSession } from '../../lib/session.js';

type CastEvent = [number, string, string];

/** Long pauses in a recording are shortened to this on replay. */
const MAX_IDLE_S = 1;

async function fetchCast(sessionId: string): Promise<{ width: number; height: number; events: CastEvent[] }> {
  const token = useSession.getState().session?.token;
  const res = await fetch(urlOf(contracts.getTerminalSessionsBySessionIdRecording, { params: { sessionId } }), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const [head, ...lines] = (await res.text()).split('\n').filter(Boolean);
  const header = JSON.parse(head ?? '{}') as { width?: number; height?: number };
  return { width: header.width ?? 80, height: header.height ?? 24, events: lines.map((l) => JSON.parse(l) as CastEvent) };
}

/** Replays an asciicast v2 recording of a terminal session in xterm.js, in real time (idle gaps shortened). */
export function RecordingPlayer({ sessionId }: { sessionId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [run, setRun] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const t = new Terminal({ fontSize: 13, disableStdin: true, scrollback: 10_000 });
    t.open(host.current!);
    setDone(false);
    fetchCast(sessionId)
      .then(({ width, height, events }) => {
        if (cancelled) return;
        t.resize(width, height);
        let clock = 0;
        let last = 0;
        for (const [at, kind, data] of events) {
          clock += Math.min(MAX_IDLE_S, Math.max(0, at - last));
          last = at;
          timers.push(
            setTimeout(() => {
              if (kind === 'o') t.write(data);
              else if (kind === 'r') {
                const [c, r] = data.split('x').map(Number);
                if (c && r) t.resize(c, r);
              }
            }, clock * 1000),
          );
        }
        timers.push(setTimeout(() => setDone(true), clock * 1000 + 50));
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      for (const x of timers) clearTimeout(x);
      t.dispose();
    };
  }, [sessionId, run]);

  return (
    <div className="term-replay">
      {error && <p className="term-error">{error}</p>}
      <div className="term-host" ref={host} data-testid="terminal-replay" />
      <p>
        {done ? 'End of recording. ' : 'Replaying… '}
        <button className="btn btn-small" onClick={() => setRun((n) => n + 1)}>
          Replay from the start
        </button>
      </p>
    </div>
  );
}
