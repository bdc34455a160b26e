import { z } from 'zod';

/**
 * Why `name` is not a branch/ref name git would accept (`git check-ref-format --branch`), or null.
 * The rules are git's own (git-check-ref-format(1)); a name that passes cannot be read by git as an
 * option, a revision expression (`a..b`, `x^{}`, `@{-1}`) or a pathspec.
 */
export function refNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.startsWith('-')) return 'starts with "-"';
  if (name === '@' || name === 'HEAD') return `is "${name}"`;
  if (name.includes('..')) return 'contains ".."';
  if (name.includes('@{')) return 'contains "@{"';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(name)) return 'contains a space or a control character';
  const bad = /[~^:?*[\\]/.exec(name);
  if (bad) return `contains "${bad[0]}"`;
  if (name.startsWith('/') || name.endsWith('/')) return 'starts or ends with "/"';
  if (name.includes('//')) return 'contains "//"';
  if (name.endsWith('.')) return 'ends with "."';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return 'has a component starting with "."';
    if (component.endsWith('.lock')) return 'has a component ending with ".lock"';
  }
  return null;
}

const refName = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(255)
    .superRefine((v, ctx) => {
      const problem = refNameProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `not a valid git ${what}: it ${problem}` });
    });

/** A branch name (projects, services, webhook pushes). */
export const GitBranchSchema = refName('branch name');
/** What a deployment builds: a branch, a tag or a commit sha — all valid ref names. */
export const GitRefSchema = refName('ref (a branch, tag or commit)');
