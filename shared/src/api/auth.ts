import { z } from 'zod';
import { OAuthProviderSchema, SignupModeSchema } from '../contract-values.js';
import { IdSchema, TimestampSchema } from './common.js';
import { hasNoNul, NUL_MESSAGE, text, trimmedText } from './strings.js';
import { OrgRoleSchema } from '../rbac.js';

export const EmailSchema = z.email().max(254).transform((e) => e.toLowerCase());
/** NIST 800-63B length rule; the backend also refuses passwords from a list of common ones. */
export const PasswordSchema = z.string().min(10, 'at least 10 characters').max(200);

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string().nullable(),
  avatar_url: z.string().nullable(),
  email_verified: z.boolean(),
  created_at: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

export const OrgSummarySchema = z.object({
  id: IdSchema,
  slug: z.string(),
  name: z.string(),
  role: OrgRoleSchema,
});
export type OrgSummary = z.infer<typeof OrgSummarySchema>;

export const RegisterBodySchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  name: trimmedText(100).min(1),
  /** From an organisation's invite link: joins that organisation (needed when sign-up is by invite). */
  invite_token: text(200).min(10).optional(),
});
export const LoginBodySchema = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(200),
});

export const SessionResultSchema = z.object({
  user: UserSchema,
  /** The bearer session token; null when it was set as an HttpOnly cookie instead (`X-Syntra-Session: cookie`). */
  token: z.string().nullable(),
  expires_at: TimestampSchema,
  /**
   * Proof that this client signed in to the account (password sign-in only; also set as an
   * HttpOnly cookie). Sent back on later sign-ins as `X-Syntra-Device`, it keeps failures others
   * cause on the account from blocking this client.
   */
  device_token: z.string().optional(),
});
export const RegisterResultSchema = SessionResultSchema.extend({ org: OrgSummarySchema });
export const MeSchema = z.object({ user: UserSchema, orgs: z.array(OrgSummarySchema) });

export const AuthProvidersSchema = z.object({
  password: z.literal(true),
  oauth: z.array(OAuthProviderSchema),
  /** Who may create an account now: the register page says "ask for an invite" unless `open`. */
  signup: SignupModeSchema,
  /** No account exists yet: whoever registers first becomes the installation admin. */
  first_account: z.boolean(),
});
export const OAuthStartQuerySchema = z.object({
  /** Where the console wants the session token delivered (the web console's or a desktop loopback URL). */
  redirect_uri: z.url().max(2000).refine(hasNoNul, NUL_MESSAGE).optional(),
});
export const OAuthCallbackQuerySchema = z.object({
  code: text(2000).min(1),
  state: text(200).min(1),
});
