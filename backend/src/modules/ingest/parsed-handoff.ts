/**
 * Payloads the intake already parsed, kept for this process's consumer by queue row id, so an
 * event is parsed once rather than again from the queue's text (JSON.parse of a 5 KB event was
 * 6 % of the JS thread under `npm run bench -- errors`). Only kept while a consumer runs here;
 * an entry is handed out once (a retry parses the stored text afresh, since processors may have
 * changed the object) and the oldest go past `maxEntries` — rows another process consumes simply
 * age out. The queue's text stays the durable copy: this is only a shortcut around parsing it.
 */
export class ParsedHandoff {
  private readonly entries = new Map<number, Record<string, unknown>>();
  private enabled = false;

  constructor(private readonly maxEntries = 5_000) {}

  /** A consumer started (or stopped) in this process. */
  setEnabled(on: boolean) {
    this.enabled = on;
    if (!on) this.entries.clear();
  }

  /** Payloads held: none means every claimed row's text will be read anyway. */
  get size() {
    return this.entries.size;
  }

  put(id: number, payload: Record<string, unknown>) {
    if (!this.enabled) return;
    this.entries.set(id, payload);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The parsed payload of row `id`, once; undefined when it was not parsed here (or already taken). */
  take(id: number): Record<string, unknown> | undefined {
    const payload = this.entries.get(id);
    if (payload) this.entries.delete(id);
    return payload;
  }
}
