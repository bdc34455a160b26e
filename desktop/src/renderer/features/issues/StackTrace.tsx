import { useState } from 'react';
import { contextLines, type FrameLike, frameLocation, type FrameRow, frameRows } from './frames.js';

export interface ExceptionLike {
  type?: string | null;
  value?: string | null;
  module?: string | null;
  mechanism?: { type?: string | null; handled?: boolean | null } | null;
  frames?: FrameLike[] | null;
}

function Context({ frame }: { frame: FrameLike }) {
  const lines = contextLines(frame);
  if (lines.length === 0) return <p className="muted small frame-nocontext">No source context was sent for this frame.</p>;
  return (
    <pre className="frame-context">
      {lines.map((l, i) => (
        <div key={i} className={l.current ? 'ctx-line ctx-current' : 'ctx-line'}>
          <span className="ctx-no">{l.no ?? ''}</span>
          <code>{l.text}</code>
        </div>
      ))}
    </pre>
  );
}

function Frame({ frame, crash, open: initiallyOpen }: { frame: FrameLike; crash: boolean; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const { fn, file } = frameLocation(frame);
  return (
    <li className={`frame${frame.in_app ? ' frame-app' : ' frame-system'}`} data-testid="stack-frame" data-in-app={frame.in_app ? 'true' : 'false'}>
      <button type="button" className="frame-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="frame-file">{file}</span>
        <span className="muted"> in </span>
        <code className="frame-fn">{fn}</code>
        {crash && <span className="badge badge-bad small">thrown here</span>}
        {frame.in_app && <span className="badge badge-info small">app</span>}
      </button>
      {open && <Context frame={frame} />}
    </li>
  );
}

function SystemFrames({ row }: { row: Extract<FrameRow<FrameLike>, { kind: 'system' }> }) {
  const [open, setOpen] = useState(false);
  const n = row.frames.length;
  if (open) return row.frames.map((f) => <Frame key={f.index} frame={f.frame} crash={false} open={false} />);
  return (
    <li className="frame frame-folded">
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(true)}>
        Show {n} system frame{n === 1 ? '' : 's'}
      </button>
    </li>
  );
}

function Exception({ exception, caused }: { exception: ExceptionLike; caused: boolean }) {
  const rows = frameRows(exception.frames ?? []);
  // The top in-app frame opens with its source: that is where one reads first.
  const firstApp = rows.find((r) => r.kind === 'frame');
  return (
    <div className="exception" data-testid="exception">
      {caused && <div className="muted small exception-caused">Caused by</div>}
      <h3 className="exception-title">
        <strong>{exception.type ?? 'Error'}</strong>
        {exception.value && <span className="exception-value">: {exception.value}</span>}
      </h3>
      {exception.mechanism && (
        <p className="muted small">
          {exception.mechanism.type ?? 'captured'}
          {exception.mechanism.handled === false ? ' · unhandled' : exception.mechanism.handled ? ' · handled' : ''}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted small">No stack trace was sent with this exception.</p>
      ) : (
        <ol className="frames" aria-label={`Stack trace of ${exception.type ?? 'the exception'}`}>
          {rows.map((r) =>
            r.kind === 'frame' ? <Frame key={r.index} frame={r.frame} crash={r.crash} open={r === firstApp} /> : <SystemFrames key={`s${r.frames[0]!.index}`} row={r} />,
          )}
        </ol>
      )}
    </div>
  );
}

/**
 * An event's exceptions: the one thrown on top, its causes under it ("Caused by"), each with its
 * frames newest first, in-app frames shown and runs of system frames folded.
 * SDKs send a chain oldest cause first, the thrown exception last (Sentry's `exception.values`).
 */
export function StackTrace({ exceptions }: { exceptions: readonly ExceptionLike[] }) {
  if (exceptions.length === 0) return <p className="muted">This event carries no exception (a message was captured).</p>;
  const outerFirst = [...exceptions].reverse();
  return (
    <div className="stack-trace" data-testid="stack-trace">
      {outerFirst.map((e, i) => (
        <Exception key={i} exception={e} caused={i > 0} />
      ))}
    </div>
  );
}
