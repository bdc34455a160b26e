import { describe, expect, it, vi } from 'vitest';
import { teardown } from './teardown.js';

describe('bounded teardown', () => {
  it('names a step that hangs, leaves it behind and runs the steps after it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ran: string[] = [];
    await teardown(
      [
        ['stuck close', () => new Promise(() => undefined)],
        ['next close', () => void ran.push('next')],
      ],
      50,
    );
    expect(ran).toEqual(['next']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"stuck close" still running after 50 ms'));
    warn.mockRestore();
  });

  it('fails when a step fails in time, without running the rest', async () => {
    const after = vi.fn();
    await expect(
      teardown([
        ['drop', () => Promise.reject(new Error('drop refused'))],
        ['after', after],
      ]),
    ).rejects.toThrow('drop refused');
    expect(after).not.toHaveBeenCalled();
  });
});
