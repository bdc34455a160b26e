import { z } from 'zod';

export const IdSchema = z.uuid();
export const TimestampSchema = z.string().describe('ISO-8601 timestamp');

export const SlugSchema = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes');

/** Cursor pagination query shared by every list route. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const EmptySchema = z.object({});
export const OkSchema = z.object({ ok: z.literal(true) });
