/**
 * The parts of a stack frame the viewer reads. Sentry's field names (and the normalised event's):
 * frames arrive oldest call first, the crash site last.
 */
export interface FrameLike {
  filename?: string | null;
  abs_path?: string | null;
  module?: string | null;
  function?: string | null;
  lineno?: number | null;
  colno?: number | null;
  in_app?: boolean | null;
  context_line?: string | null;
  pre_context?: string[] | null;
  post_context?: string[] | null;
}

/** What the viewer draws: single in-app frames, and runs of system frames folded into one row. */
export type FrameRow<F extends FrameLike> =
  | { kind: 'frame'; frame: F; index: number; crash: boolean }
  | { kind: 'system'; frames: { frame: F; index: number }[] };

/**
 * Most recent call first (where the error was thrown on top, as Sentry and most tracers show it),
 * consecutive system frames folded so the app's own code reads at a glance. A trace with no in-app
 * frame at all (a library crashing on its own) shows every frame: folding everything hides the cause.
 */
export function frameRows<F extends FrameLike>(frames: readonly F[]): FrameRow<F>[] {
  const newestFirst = frames.map((frame, index) => ({ frame, index })).reverse();
  const anyInApp = newestFirst.some((f) => f.frame.in_app === true);
  const rows: FrameRow<F>[] = [];
  for (const [pos, f] of newestFirst.entries()) {
    if (!anyInApp || f.frame.in_app === true) {
      rows.push({ kind: 'frame', frame: f.frame, index: f.index, crash: pos === 0 });
      continue;
    }
    const last = rows[rows.length - 1];
    if (last?.kind === 'system') last.frames.push(f);
    else rows.push({ kind: 'system', frames: [f] });
  }
  return rows;
}

/** `function` at `file:line:col`, the way a trace line reads; anonymous functions say so. */
export function frameLocation(frame: FrameLike): { fn: string; file: string } {
  const file = frame.filename ?? frame.abs_path ?? frame.module ?? '<unknown>';
  const pos = frame.lineno ? `:${frame.lineno}${frame.colno ? `:${frame.colno}` : ''}` : '';
  return { fn: frame.function || '<anonymous>', file: `${file}${pos}` };
}

/** Context lines with their numbers: the source around the frame's line, the line itself marked. */
export function contextLines(frame: FrameLike): { no: number | null; text: string; current: boolean }[] {
  if (frame.context_line == null) return [];
  const pre = frame.pre_context ?? [];
  const post = frame.post_context ?? [];
  const at = frame.lineno ?? null;
  const num = (offset: number) => (at === null ? null : at + offset);
  return [
    ...pre.map((text, i) => ({ no: num(i - pre.length), text, current: false })),
    { no: at, text: frame.context_line, current: true },
    ...post.map((text, i) => ({ no: num(i + 1), text, current: false })),
  ];
}
