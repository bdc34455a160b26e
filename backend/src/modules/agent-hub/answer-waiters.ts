import type { CommandAnswer } from './hub-bus.js';

/**
 * Callers waiting for a command's answer on this node, by command id. An answer may arrive from
 * this node's agent socket or, through Redis, from another node's; either wakes every waiter.
 */
export class AnswerWaiters {
  private readonly waiting = new Map<string, Set<(answer: CommandAnswer | null) => void>>();

  /** Resolves with the answer, or with null when `ms` pass first (the command stays queued). */
  wait(commandId: string, ms: number): Promise<CommandAnswer | null> {
    return new Promise((resolve) => {
      const set = this.waiting.get(commandId) ?? new Set();
      const done = (answer: CommandAnswer | null) => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiting.delete(commandId);
        resolve(answer);
      };
      const timer = setTimeout(() => done(null), ms);
      set.add(done);
      this.waiting.set(commandId, set);
    });
  }

  wake(commandId: string, answer: CommandAnswer | null) {
    for (const done of [...(this.waiting.get(commandId) ?? [])]) done(answer);
  }
}
