/**
 * Waits for `work` at most `ms`. Past that, `onLate` runs (force-close, log) and the wait ends:
 * a shutdown must not hang on one part whose store or peer has gone away.
 */
export async function within(work: Promise<unknown>, ms: number, onLate: () => unknown = () => undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const done = work.then(
    () => 'done' as const,
    () => 'done' as const,
  );
  try {
    if ((await Promise.race([done, late])) === 'late') await onLate();
  } finally {
    clearTimeout(timer);
  }
}
