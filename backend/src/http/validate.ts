import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Parses `input` or throws a VALIDATION_ERROR that names every offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid input';
  throw new ValidationError(`Invalid ${where}: ${summary}`, { in: where, issues });
}
