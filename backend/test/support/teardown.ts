/**
 * Runs teardown steps in order, giving each at most `ms`. A step still running past that is named
 * on stderr and left behind: one close stuck on a store gone quiet neither runs the hook into its
 * timeout (a red run that says nothing of which close it was) nor holds up the steps after it.
 * A step that fails in time still fails the hook; one left behind that fails later is only logged.
 */
export async function teardown(steps: ReadonlyArray<readonly [name: string, run: () => unknown]>, ms = 8_000): Promise<void> {
  for (const [name, run] of steps) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const work = Promise.resolve().then(run);
    try {
      if ((await Promise.race([work.then(() => 'done' as const), late])) === 'late') {
        console.warn(`teardown: "${name}" still running after ${ms} ms; going on without it`);
        work.catch((err: unknown) => console.warn(`teardown: "${name}" failed after it was left behind`, err));
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
