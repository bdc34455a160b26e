import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { GitBranchSchema, GitRefSchema, refNameProblem } from '@syntra/shared';

/** Names people use, names that break one rule each, and names that look like git syntax. */
const CORPUS = [
  'main', 'master', 'develop', 'feature/login', 'release/2026.12', 'v1.2.3', 'fix-123', 'a', 'user/jane/wip', 'UPPER_case',
  'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef', 'héllo', 'dots.in.middle', 'a.lock.b', 'x@y', 'a{b}', 'trailing-', '_under', 'a/.b',
  '..', 'a..b', 'a/../b', '.hidden', 'a/.hidden', 'a.', 'a/', '/a', 'a//b', 'a.lock', 'a/b.lock', 'a/b.lock/c', '@', '@{-1}', 'a@{b',
  'a b', 'a\tb', 'a\nb', 'a\u007fb', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', '-x', '--upload-pack=x', '-', 'HEAD', 'refs/heads/x',
  'a/-b', 'main.', '.', 'a/.', 'a.lock/b', '@/x', 'x@', '{', '}', 'a]b', '#', '!', '$(id)', '`id`', "a'b", 'a"b', 'a;b', 'a|b',
];

/**
 * Stricter than `--branch` on purpose: git stores a branch `refs/heads/@`, but `@` alone means HEAD
 * to every revision parser (rule 9 of git-check-ref-format for a full ref name).
 */
const STRICTER = new Set(['@']);

function gitAccepts(name: string): boolean {
  // Outside any repository: inside one, `@` would expand to the current branch.
  return spawnSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore', cwd: os.tmpdir() }).status === 0;
}

describe('ref and branch names follow git check-ref-format', () => {
  it.each(CORPUS)('%j: our verdict matches git', (name) => {
    expect({ name, valid: refNameProblem(name) === null }).toEqual({ name, valid: gitAccepts(name) && !STRICTER.has(name) });
  });

  it('the zod schemas reject with a message saying which rule, and pass good names unchanged', () => {
    expect(GitBranchSchema.parse('feature/login')).toBe('feature/login');
    expect(GitRefSchema.parse('deadbeef')).toBe('deadbeef');
    const bad = GitBranchSchema.safeParse('a..b');
    expect(bad.error?.issues[0]?.message).toBe('not a valid git branch name: it contains ".."');
    expect(GitRefSchema.safeParse('--upload-pack=/bin/sh').error?.issues[0]?.message).toMatch(/starts with "-"/);
    expect(GitBranchSchema.safeParse('x'.repeat(256)).success).toBe(false);
    expect(refNameProblem('@')).toBe('is "@"');
    expect(gitAccepts('@')).toBe(true); // the one deliberate difference, still as git has it
  });
});
