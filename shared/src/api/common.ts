import { z } from 'zod';
import { queryInt4 } from './bounds.js';
import { keysetCursorSchema, SerialCursorSchema } from './cursor.js';

export const IdSchema = z.uuid();
export const TimestampSchema = z.string().describe('ISO-8601 timestamp');

export const SlugSchema = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes');

const PageLimitSchema = queryInt4(1, 200).default(50);

/** Cursor pagination query of the (created_at, uuid) keyset lists: most list routes. */
export const PageQuerySchema = z.object({
  limit: PageLimitSchema,
  cursor: keysetCursorSchema('uuid').optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** The same for lists keyed by (time, bigserial id), e.g. health checks. */
export const SerialKeysetPageQuerySchema = z.object({
  limit: PageLimitSchema,
  cursor: keysetCursorSchema('serial').optional(),
});

/** Lists paged by a bigserial id alone (status history). */
export const SerialPageQuerySchema = z.object({
  limit: PageLimitSchema,
  cursor: SerialCursorSchema.optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const EmptySchema = z.object({});
export const OkSchema = z.object({ ok: z.literal(true) });
