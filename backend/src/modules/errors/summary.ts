import type { StackFrame } from '@syntra/shared';
import type { NormalizedEvent } from './normalized-event.js';

/** What an issue shows of its events: title, culprit, exception type. */
export interface EventSummaryFields {
  title: string;
  culprit: string | null;
  exceptionType: string | null;
  /** The text the list's search looks in besides title and culprit. */
  message: string | null;
}

const MAX_TITLE = 300;

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0]!.trim();
  return line.length > MAX_TITLE ? `${line.slice(0, MAX_TITLE - 1)}…` : line;
}

/** The top (innermost) in-app frame, else the top frame. */
function topFrame(frames: readonly StackFrame[]): StackFrame | null {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.in_app) return frames[i]!;
  return frames.at(-1) ?? null;
}

function culpritOf(frames: readonly StackFrame[]): string | null {
  const f = topFrame(frames);
  if (!f) return null;
  const file = f.filename ?? f.module ?? f.abs_path;
  const fn = f.function ?? '?';
  return file ? `${fn} (${file})` : fn;
}

export function summarize(e: NormalizedEvent): EventSummaryFields {
  const thrown = e.exceptions.at(-1);
  if (thrown) {
    const type = thrown.type ?? 'Error';
    const title = thrown.value ? `${type}: ${firstLine(thrown.value)}` : type;
    return {
      title: firstLine(title),
      culprit: culpritOf(thrown.frames) ?? e.transaction ?? e.logger,
      exceptionType: thrown.type,
      message: thrown.value ?? e.message,
    };
  }
  const text = e.message ?? e.message_template;
  return {
    title: text ? firstLine(text) : '<unlabeled event>',
    culprit: (e.stacktrace ? culpritOf(e.stacktrace) : null) ?? e.transaction ?? e.logger,
    exceptionType: null,
    message: text,
  };
}
