import { dictionary } from '@zxcvbn-ts/language-common';
import { ValidationError } from '../errors.js';

// NIST 800-63B §3.1.1.2: at least the length the schema enforces (10 here), no composition rules,
// and refuse values from a list of commonly used or compromised passwords. The list is the ~49k
// common passwords zxcvbn-ts maintains; the context words keep "syntra2026!" and the user's own
// address out too.
let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

function refuse(message: string): never {
  throw new ValidationError(`Invalid body: password: ${message}`, { in: 'body', issues: [{ path: 'password', message }] });
}

/** Throws a VALIDATION_ERROR naming `password` when it is a common, repetitive or context-derived choice. */
export function assertAcceptablePassword(password: string, context: { email?: string; name?: string } = {}): void {
  const lower = password.normalize('NFKC').toLowerCase();
  // "Password1234" and "qwertyuiop!" are the list's entries with the usual decorations stuck on.
  const stripped = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (commonPasswords().has(lower) || (stripped.length >= 4 && commonPasswords().has(stripped))) {
    refuse('this is one of the most common passwords; choose something others would not guess (a few unrelated words work well)');
  }
  if (new Set(lower).size <= 2) refuse('a password of one or two repeated characters is easy to guess');
  const words = ['syntra', context.email?.split('@')[0], context.name].filter((w): w is string => !!w && w.length >= 4).map((w) => w.toLowerCase());
  if (words.some((w) => stripped === w || lower === w)) refuse('a password must not be your name, your email or the product name');
}
