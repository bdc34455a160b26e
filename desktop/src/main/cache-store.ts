import fs from 'node:fs';
import path from 'node:path';
import { MAX_CACHE_BYTES } from '../shared/ipc.js';
import { writeFileAtomic } from './atomic-file.js';

interface CacheFile {
  saved_at: string;
  data: string;
}

/**
 * The renderer's query cache on disk, one file per account, so the app opens with last-known
 * state (and shows it read-only while offline). A damaged file is treated as no cache.
 */
export class CacheStore {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private fileOf(accountId: string) {
    return path.join(this.dir, `${accountId}.json`);
  }

  save(accountId: string, data: string): void {
    if (Buffer.byteLength(data) > MAX_CACHE_BYTES) throw new Error('cache snapshot too large');
    const body: CacheFile = { saved_at: this.now().toISOString(), data };
    writeFileAtomic(this.fileOf(accountId), JSON.stringify(body), 0o600);
  }

  load(accountId: string): { data: string | null; saved_at: string | null } {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.fileOf(accountId), 'utf8')) as Partial<CacheFile>;
      if (typeof parsed.data !== 'string' || typeof parsed.saved_at !== 'string') return { data: null, saved_at: null };
      return { data: parsed.data, saved_at: parsed.saved_at };
    } catch {
      return { data: null, saved_at: null };
    }
  }

  clear(accountId: string): void {
    fs.rmSync(this.fileOf(accountId), { force: true });
  }
}
