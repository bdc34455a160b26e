import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** A client key of a service: what a Sentry SDK (or an OTLP exporter) authenticates with. Public by design. */
export const ClientKeySchema = z.object({
  id: IdSchema,
  public_key: z.string().describe('32 hex characters: the DSN user'),
  dsn: z.string().describe('<scheme>://<public_key>@<host>/<project_ref>, from PUBLIC_URL'),
  created_at: TimestampSchema,
  revoked_at: TimestampSchema.nullable(),
});
export type ClientKey = z.infer<typeof ClientKeySchema>;

export const ClientKeyListSchema = z.object({ items: z.array(ClientKeySchema) });

/** No options yet: a key is all generated. */
export const CreateClientKeyBodySchema = z.object({}).strict();

const OriginSchema = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[^/\s?#]+$/, 'an origin: scheme://host[:port], no path');

/** How a service's intake behaves; the counters since the intake first saw it. */
export const IntakeStatsSchema = z.object({
  events: z.number().int(),
  transactions: z.number().int(),
  spans: z.number().int().describe('spans received in span v2 items (the SDKs\' streamed spans)'),
  sessions: z.number().int(),
  client_reports: z.number().int(),
  attachments: z.number().int(),
  other_items: z.number().int(),
  dropped_rate_limited: z.number().int().describe('refused with 429: over the key or organisation rate'),
  dropped_backlog: z.number().int().describe('refused with 429: processing lagged beyond its bound'),
  dropped_too_large: z.number().int(),
  dropped_invalid: z.number().int(),
});
export type IntakeStats = z.infer<typeof IntakeStatsSchema>;

export const IntakeSettingsSchema = z.object({
  project_ref: z.number().int(),
  allowed_origins: z.array(z.string()).nullable().describe('browser origins allowed to post events; null: any'),
  stats: IntakeStatsSchema,
});
export type IntakeSettings = z.infer<typeof IntakeSettingsSchema>;

export const UpdateIntakeBodySchema = z.object({
  allowed_origins: z.array(OriginSchema).max(100).nullable(),
});
