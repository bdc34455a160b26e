import { useEffect, useRef } from 'react';

/** Single-letter shortcuts, without modifiers, and never while typing in a field or with a dialog open. */
export function shortcutKey(e: KeyboardEvent): string | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return null;
  const t = e.target as HTMLElement | null;
  if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return null;
  if (document.querySelector('[role="dialog"]')) return null;
  return e.key;
}

/**
 * j/k move through a list, Enter opens the focused row, other letters run the handler's actions on it
 * (the issues list binds x to select, r to resolve, i to ignore, u to unresolve).
 */
export function useListKeys(opts: { count: number; cursor: number; setCursor: (i: number) => void; onKey: (key: string, index: number) => boolean }) {
  const ref = useRef(opts);
  ref.current = opts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = shortcutKey(e);
      if (key === null) return;
      const { count, cursor, setCursor, onKey: handle } = ref.current;
      if (count === 0) return;
      if (key === 'j' || key === 'k') {
        const next = cursor < 0 ? 0 : Math.min(count - 1, Math.max(0, cursor + (key === 'j' ? 1 : -1)));
        setCursor(next);
        e.preventDefault();
      } else if (cursor >= 0 && cursor < count && handle(key, cursor)) {
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
