import { describe, expect, it } from 'vitest';
import { commitRange } from './commit-range.js';

const sha = (c: string) => c.repeat(40);
const built = (s: string | null, base: string | null, commits: string[] | null, complete = true) => ({
  git_commit_sha: s,
  build_base_sha: base,
  build_commits: commits?.map((c) => ({ sha: sha(c), message: `commit ${c}` })) ?? null,
  build_commits_complete: complete,
});

describe('the commits between two deployments, from what the newer build reported', () => {
  it('is the reported list when the older one is the base the build counted from', () => {
    expect(commitRange(built(sha('a'), null, null), built(sha('c'), sha('a'), ['c', 'b']))).toEqual({ messages: [{ sha: sha('c'), message: 'commit c' }, { sha: sha('b'), message: 'commit b' }], complete: true });
    expect(commitRange(built(sha('a'), null, null), built(sha('c'), sha('a'), ['c', 'b'], false)).complete).toBe(false);
  });

  it('cuts the list at the older sha when it is in it, and knows only the ends otherwise', () => {
    expect(commitRange(built(sha('b'), null, null), built(sha('d'), sha('a'), ['d', 'c', 'b'])).messages.map((m) => m.message)).toEqual(['commit d', 'commit c']);
    expect(commitRange(built(sha('e'), null, null), built(sha('d'), sha('a'), ['d']))).toEqual({ messages: [], complete: false });
    expect(commitRange(built(sha('d'), null, null), built(sha('d'), sha('a'), ['d']))).toEqual({ messages: [], complete: true });
    expect(commitRange(built(null, null, null), built(sha('d'), null, null))).toEqual({ messages: [], complete: false });
  });
});
