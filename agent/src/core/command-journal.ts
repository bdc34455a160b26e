import fs from 'node:fs';
import path from 'node:path';
import type { CommandResponse } from '@syntra/shared';

const KEEP = 1000;

/**
 * Answers of recently handled requests, on disk. The control plane redelivers a command it has no
 * answer for; if this agent already ran it (the answer was lost with the connection), it resends
 * the recorded answer instead of running it twice.
 */
export class CommandJournal {
  private entries: Array<[string, CommandResponse]>;
  private readonly file: string;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, 'commands.json');
    try {
      const stored: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      // A damaged journal only loses the dedup memory; `get` must still work on it.
      this.entries = Array.isArray(stored) ? stored.filter((e): e is [string, CommandResponse] => Array.isArray(e) && typeof e[0] === 'string' && !!e[1] && typeof e[1] === 'object') : [];
    } catch {
      this.entries = [];
    }
  }

  get(requestId: string): CommandResponse | undefined {
    return this.entries.find(([id]) => id === requestId)?.[1];
  }

  /** Written before the answer is sent. */
  record(response: CommandResponse) {
    this.entries.push([response.request_id, response]);
    if (this.entries.length > KEEP) this.entries = this.entries.slice(-KEEP);
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.entries), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
