import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { HostnameSchema } from './services.js';

/** The DNS name whose TXT record proves an organisation owns a domain (a wildcard: its base). */
export const DOMAIN_CHALLENGE_LABEL = '_syntra-challenge';
export const DOMAIN_CHALLENGE_PREFIX = 'syntra-verification=';

/**
 * `pending`: the organisation holds the name, ownership not proved yet; `verified`: held and proved;
 * `contending`: another organisation holds it; proving ownership takes it over from an unverified holder.
 */
export const DomainStatusSchema = z.enum(['pending', 'verified', 'contending']);
export type DomainStatus = z.infer<typeof DomainStatusSchema>;

/** Claim a name ahead of using it (or contend for one another organisation holds). */
export const CreateDomainClaimBodySchema = z.object({ hostname: HostnameSchema });

/**
 * A hostname (or `*.` wildcard) claimed by one organisation: no other organisation may use it or
 * an overlapping wildcard. `verification` says what to publish to prove ownership.
 */
export const DomainClaimSchema = z.object({
  id: IdSchema,
  hostname: z.string(),
  status: DomainStatusSchema,
  /** Services of this organisation that use the hostname. */
  used_by: z.array(z.object({ service_id: IdSchema, name: z.string() })),
  verification: z.object({
    record_type: z.literal('TXT'),
    record_name: z.string(),
    record_value: z.string(),
  }),
  verified_at: TimestampSchema.nullable(),
  last_checked_at: TimestampSchema.nullable(),
  last_error: z.string().nullable(),
  created_at: TimestampSchema,
});
export type DomainClaim = z.infer<typeof DomainClaimSchema>;
