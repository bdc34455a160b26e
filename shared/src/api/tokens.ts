import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { TokenScopeSchema } from '../rbac.js';

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
  name: z.string().trim().min(1).max(100),
  scopes: z.array(TokenScopeSchema).min(1).max(4),
  /** Restrict the token to one organisation; absent, it acts in all of the user's organisations. */
  org_id: IdSchema.optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});
export const CreatedTokenSchema = ApiTokenSchema.extend({ token: z.string().describe('shown once') });
