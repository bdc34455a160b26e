import { z } from 'zod';

/**
 * The base of every string a request carries. PostgreSQL refuses U+0000 in text, varchar and
 * jsonb (the insert fails, which used to surface as a 500), so it is refused here, in the same
 * zod pipeline as every other field; `max` is the column's size (or a sane bound for what is not
 * stored), so an over-long value is a 400 naming the field rather than a "value too long" error.
 */
export function text(max: number) {
  return z.string().max(max).refine(hasNoNul, NUL_MESSAGE);
}

/** `text` that trims first, so `max` counts what is kept (names, titles). */
export function trimmedText(max: number) {
  return z.string().trim().max(max).refine(hasNoNul, NUL_MESSAGE);
}

export const NUL_MESSAGE = 'must not contain NUL characters (U+0000)';

export function hasNoNul(value: string): boolean {
  return !value.includes('\u0000');
}
