import { z } from 'zod';
import { EmailSchema, UserSchema } from './auth.js';
import { IdSchema, SlugSchema, TimestampSchema } from './common.js';
import { OrgRoleSchema } from '../rbac.js';
import { trimmedText } from './strings.js';

export const OrgSchema = z.object({
  id: IdSchema,
  name: z.string(),
  slug: z.string(),
  plan: z.string(),
  settings: z.object({
    terminal_admins_only: z.boolean(),
    /** Days its logs, traces and metrics are kept; absent: the installation's default. */
    telemetry_retention_days: z.number().int().optional(),
  }),
  created_at: TimestampSchema,
});
export type Org = z.infer<typeof OrgSchema>;
export const OrgWithRoleSchema = OrgSchema.extend({ role: OrgRoleSchema });

export const CreateOrgBodySchema = z.object({
  name: trimmedText(100).min(1),
  slug: SlugSchema.optional(),
});
export const UpdateOrgBodySchema = z
  .object({
    name: trimmedText(100).min(1),
    slug: SlugSchema,
    settings: z.object({ terminal_admins_only: z.boolean(), telemetry_retention_days: z.number().int().min(1).max(3650) }).partial(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');

export const MemberSchema = z.object({
  user: UserSchema.pick({ id: true, email: true, name: true, avatar_url: true }),
  role: OrgRoleSchema,
  joined_at: TimestampSchema.nullable(),
});
export const UpdateMemberBodySchema = z.object({ role: OrgRoleSchema });

export const CreateInviteBodySchema = z.object({ email: EmailSchema, role: OrgRoleSchema });
export const InviteSchema = z.object({
  id: IdSchema,
  email: z.string(),
  role: OrgRoleSchema,
  expires_at: TimestampSchema,
  token: z.string().describe('shown once'),
  accept_url: z.string(),
});
export const AcceptInviteResultSchema = z.object({
  org: z.object({ id: IdSchema, slug: z.string(), name: z.string(), role: OrgRoleSchema }),
});

export const AuditEntrySchema = z.object({
  id: IdSchema,
  actor: z.object({ id: IdSchema, email: z.string() }).nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: TimestampSchema,
});
