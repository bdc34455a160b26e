import { describe, expect, it } from 'vitest';
import { ParsedHandoff } from './parsed-handoff.js';

describe('parsed payload hand-off', () => {
  it('hands a payload out once, so a retried item is parsed afresh from the stored text', () => {
    const h = new ParsedHandoff();
    h.setEnabled(true);
    h.put(1, { message: 'boom' });
    expect(h.take(1)).toEqual({ message: 'boom' });
    expect(h.take(1)).toBeUndefined();
  });

  it('keeps nothing while no consumer runs in this process, and forgets all when it stops', () => {
    const h = new ParsedHandoff();
    h.put(1, { a: 1 });
    expect(h.take(1)).toBeUndefined();
    h.setEnabled(true);
    h.put(2, { a: 2 });
    h.setEnabled(false);
    expect(h.take(2)).toBeUndefined();
  });

  it('drops the oldest past its bound (rows another process consumed never come back for theirs)', () => {
    const h = new ParsedHandoff(2);
    h.setEnabled(true);
    h.put(1, { n: 1 });
    h.put(2, { n: 2 });
    h.put(3, { n: 3 });
    expect(h.take(1)).toBeUndefined();
    expect(h.take(2)).toEqual({ n: 2 });
    expect(h.take(3)).toEqual({ n: 3 });
  });
});
