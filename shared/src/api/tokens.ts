import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { TokenScopeSchema } from '../rbac.js';
import { int4 } from './bounds.js';
import { trimmedText } from './strings.js';

export const ApiTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(TokenScopeSchema),
  org_id: IdSchema.nullable(),
  last_used_at: TimestampSchema.nullable(),
  expires_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateTokenBodySchema = z.object({
  name: trimmedText(100).min(1),
  scopes: z.array(TokenScopeSchema).min(1).max(4),
  /** Restrict the token to one organisation; absent, it acts in all of the user's organisations. */
  org_id: IdSchema.optional(),
  expires_in_days: int4(1, 3650).optional(),
});
export const CreatedTokenSchema = ApiTokenSchema.extend({ token: z.string().describe('shown once') });
