/**
 * A Sentry span v2 envelope item's payload (Sentry's developer docs, "Span Protocol"): a container
 * `{version: 2, items: [span…]}`, each span with hex ids, seconds-since-epoch timestamps, status
 * "ok" | "error" and typed attributes (`{type, value, unit?}`). Spans are parsed one by one so one
 * bad span does not lose the others of its container.
 */
import { z } from 'zod';

const Hex32 = z.string().regex(/^[0-9a-fA-F]{32}$/).transform((s) => s.toLowerCase());
const Hex16 = z.string().regex(/^[0-9a-fA-F]{16}$/).transform((s) => s.toLowerCase());
const MAX_SECONDS = 9_000_000_000; // DateTime64(9) ends in 2262
const Seconds = z.number().positive().max(MAX_SECONDS);

export const TypedAttributesSchema = z.record(z.string(), z.object({ type: z.string().optional(), value: z.unknown(), unit: z.string().nullish() }).passthrough()).nullish();

export const SpanV2Schema = z.object({
  trace_id: Hex32,
  span_id: Hex16,
  parent_span_id: Hex16.nullish(),
  name: z.string().max(10_000),
  status: z.string().nullish(),
  is_segment: z.boolean().nullish(),
  /** In the first drafts of the protocol ("server", "client", …); today's SDKs leave it out. */
  kind: z.string().nullish(),
  start_timestamp: Seconds,
  end_timestamp: Seconds.nullish(),
  attributes: TypedAttributesSchema,
  links: z
    .array(z.object({ trace_id: Hex32, span_id: Hex16, sampled: z.boolean().nullish(), attributes: TypedAttributesSchema }))
    .nullish(),
});
export type SpanV2 = z.infer<typeof SpanV2Schema>;

export const SpanV2ContainerSchema = z.object({
  version: z.number().nullish(),
  items: z.array(z.unknown()).max(10_000),
});
