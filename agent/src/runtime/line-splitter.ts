/** Splits a byte stream into lines (the last partial line is flushed on end). */
export function lineSplitter(onLine: (line: string) => void) {
  let partial = '';
  return {
    push(chunk: Buffer | string) {
      const lines = (partial + chunk.toString()).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l);
      if (partial.length > 65_536) {
        onLine(partial);
        partial = '';
      }
    },
    end() {
      if (partial) onLine(partial);
      partial = '';
    },
  };
}
