/**
 * Polls `probe` until it returns something truthy, and returns that; throws naming `what` after
 * `timeoutMs`. The one waiting helper of the backend, agent and bench tests: it says what it waits
 * for, so a timeout reads as the thing that never happened rather than a bare test timeout.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
