import { createHash } from 'node:crypto';
import type { EventException, StackFrame } from '@syntra/shared';
import type { NormalizedEvent } from './normalized-event.js';
import { parameterize } from './parameterize.js';

export type GroupingMethod = 'fingerprint' | 'stacktrace' | 'exception' | 'message';

export interface Grouping {
  method: GroupingMethod;
  /** What was hashed, readable (for tests and debugging): one string per component. */
  components: string[];
  /** sha256 hex of the method and components: the key within its service. */
  hash: string;
}

/** Sentry uses a frame's source line for these platforms, when it is short enough to be code, not a minified blob. */
const CONTEXT_LINE_PLATFORMS = new Set(['javascript', 'node', 'python']);
const MAX_CONTEXT_LINE = 120;
const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/i;

function basename(path: string): string {
  const clean = path.split(/[?#]/)[0]!;
  return clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
}

/**
 * A function name without what varies between builds or call sites: JavaScript's receiver and
 * `async`/`new` prefixes, anonymous markers, generated numeric suffixes.
 */
export function normalizeFunction(fn: string | null): string | null {
  if (!fn) return null;
  let f = fn.trim().replace(/^(async|new)\s+/, '');
  if (/^(<anonymous>|\?|anonymous|<lambda>|<module>)$/.test(f)) return null;
  f = f.replace(/^(Object|Module|exports|global|globalThis)\./, '');
  f = f.replace(/(\$|__)\d+$/, '').replace(/\s*\[as [^\]]+\]$/, '');
  return f || null;
}

function frameComponent(frame: StackFrame, platform: string | null): string | null {
  const where = frame.module ?? (frame.filename ? basename(frame.filename) : frame.abs_path ? basename(frame.abs_path) : null);
  const fn = normalizeFunction(frame.function);
  const line = frame.context_line?.trim();
  const useLine = line && platform !== null && CONTEXT_LINE_PLATFORMS.has(platform) && line.length <= MAX_CONTEXT_LINE;
  const parts = [where, fn, useLine ? line : null].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' | ') : null;
}

function inAppFrames(frames: readonly StackFrame[], platform: string | null): string[] {
  return frames
    .filter((f) => f.in_app)
    .map((f) => frameComponent(f, platform))
    .filter((c): c is string => c !== null);
}

function stacktraceComponents(exceptions: readonly EventException[], stack: StackFrame[] | null, platform: string | null): string[] | null {
  const out: string[] = [];
  let anyFrames = false;
  for (const e of exceptions) {
    const frames = inAppFrames(e.frames, platform);
    if (frames.length === 0) continue;
    anyFrames = true;
    out.push(`type:${e.type ?? ''}`, ...frames.map((f) => `frame:${f}`));
  }
  if (!anyFrames && exceptions.length === 0 && stack) {
    const frames = inAppFrames(stack, platform);
    if (frames.length > 0) return frames.map((f) => `frame:${f}`);
  }
  return anyFrames ? out : null;
}

function exceptionComponents(exceptions: readonly EventException[]): string[] | null {
  if (exceptions.length === 0) return null;
  return exceptions.map((e) => `exception:${e.type ?? ''}: ${e.value ? parameterize(e.value) : ''}`);
}

function messageComponents(e: NormalizedEvent): string[] {
  if (e.message_template) return [`message:${e.message_template}`];
  return [`message:${e.message ? parameterize(e.message) : ''}`];
}

/** The default grouping, in Sentry's order: in-app stack frames, else exception type and value, else the message. */
function defaultGrouping(e: NormalizedEvent): { method: Exclude<GroupingMethod, 'fingerprint'>; components: string[] } {
  const frames = stacktraceComponents(e.exceptions, e.stacktrace, e.platform);
  if (frames) return { method: 'stacktrace', components: frames };
  const exc = exceptionComponents(e.exceptions);
  if (exc) return { method: 'exception', components: exc };
  return { method: 'message', components: messageComponents(e) };
}

function hash(method: GroupingMethod, components: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([method, components])).digest('hex');
}

/**
 * A client fingerprint wins (`{{ default }}` in it stands for the default grouping's components);
 * otherwise the default grouping. Events with equal hashes of the same service are one issue.
 */
export function groupEvent(e: NormalizedEvent): Grouping {
  const custom = e.fingerprint;
  if (custom && custom.length > 0) {
    const components: string[] = [];
    for (const part of custom) {
      if (DEFAULT_MARKER.test(part.trim())) components.push(...defaultGrouping(e).components);
      else components.push(`custom:${part}`);
    }
    return { method: 'fingerprint', components, hash: hash('fingerprint', components) };
  }
  const d = defaultGrouping(e);
  return { ...d, hash: hash(d.method, d.components) };
}
