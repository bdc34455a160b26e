import type { EventException, StackFrame } from '@syntra/shared';
import { arr, int, obj, str, values } from './normalize-values.js';

/** Frames kept per stack trace: the innermost ones (where it broke), as Sentry trims the outer calls. */
const MAX_FRAMES = 250;
const MAX_CONTEXT_LINES = 10;
const MAX_EXCEPTIONS = 20;

function contextLines(v: unknown): string[] {
  return arr(v).slice(-MAX_CONTEXT_LINES).map((l) => str(l, 1000) ?? '');
}

/**
 * Whether a frame is the application's own code when the SDK did not say: not a dependency, not
 * the runtime (Node's `node:` and `internal/` modules, Python's stdlib lives in site-packages too).
 */
function guessInApp(path: string | null): boolean {
  if (!path) return false;
  if (/(^|[\\/])(node_modules|site-packages|dist-packages|vendor)[\\/]/.test(path)) return false;
  if (path.startsWith('node:') || path.startsWith('internal/') || path === 'native' || path.startsWith('<')) return false;
  return true;
}

export function normalizeFrame(v: unknown): StackFrame | null {
  const f = obj(v);
  if (!f) return null;
  const filename = str(f.filename, 500);
  const absPath = str(f.abs_path, 1000);
  const fn = str(f.function, 500);
  const module = str(f.module, 500);
  if (!filename && !absPath && !fn && !module) return null;
  return {
    filename: filename ?? absPath,
    abs_path: absPath,
    module,
    function: fn,
    lineno: int(f.lineno),
    colno: int(f.colno),
    in_app: typeof f.in_app === 'boolean' ? f.in_app : guessInApp(absPath ?? filename),
    context_line: str(f.context_line, 1000),
    pre_context: contextLines(f.pre_context),
    post_context: contextLines(f.post_context),
  };
}

export function normalizeFrames(stacktrace: unknown): StackFrame[] {
  const frames = arr(obj(stacktrace)?.frames).slice(-MAX_FRAMES);
  return frames.map(normalizeFrame).filter((f): f is StackFrame => f !== null);
}

export function normalizeExceptions(v: unknown): EventException[] {
  const out: EventException[] = [];
  for (const item of values(v).slice(-MAX_EXCEPTIONS)) {
    const e = obj(item);
    if (!e) continue;
    const type = str(e.type, 255);
    const value = str(e.value, 10_000);
    const mech = obj(e.mechanism);
    const frames = normalizeFrames(e.stacktrace);
    if (!type && !value && frames.length === 0) continue;
    out.push({
      type,
      value,
      module: str(e.module, 500),
      mechanism: mech ? { type: str(mech.type, 100), handled: typeof mech.handled === 'boolean' ? mech.handled : null } : null,
      frames,
    });
  }
  return out;
}

/** The stack of the crashed (else current, else first) thread that has one: native SDKs send threads. */
export function threadStack(v: unknown): StackFrame[] | null {
  const threads = values(v).map(obj).filter((t): t is Record<string, unknown> => t !== null && obj(t.stacktrace) !== null);
  const pick = threads.find((t) => t.crashed === true) ?? threads.find((t) => t.current === true) ?? threads[0];
  const frames = pick ? normalizeFrames(pick.stacktrace) : [];
  return frames.length > 0 ? frames : null;
}
