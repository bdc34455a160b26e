/**
 * The parts of a Sentry `transaction` event that become spans (Sentry's event payload docs:
 * "Transaction" and "Span Interface"). Lenient on purpose: fields SDKs leave out or fill with
 * null are optional; ids are the SDKs' hex.
 */
import { z } from 'zod';

const Hex32 = z.string().regex(/^[0-9a-fA-F]{32}$/).transform((s) => s.toLowerCase());
const Hex16 = z.string().regex(/^[0-9a-fA-F]{16}$/).transform((s) => s.toLowerCase());
/** Seconds since the epoch (float), or an RFC 3339 string (older SDKs and the protocol allow both). */
const MAX_SECONDS = 9_000_000_000; // DateTime64(9) ends in 2262
const Timestamp = z.union([
  z.number().positive().max(MAX_SECONDS),
  z
    .string()
    .refine((s) => Date.parse(s) > 0 && Date.parse(s) / 1000 < MAX_SECONDS, 'must be a timestamp')
    .transform((s) => Date.parse(s) / 1000),
]);
const Data = z.record(z.string(), z.unknown()).nullish();

export const SentrySpanSchema = z.object({
  span_id: Hex16,
  parent_span_id: Hex16.nullish(),
  trace_id: Hex32.nullish(),
  op: z.string().nullish(),
  description: z.string().nullish(),
  start_timestamp: Timestamp,
  timestamp: Timestamp.nullish(),
  status: z.string().nullish(),
  origin: z.string().nullish(),
  data: Data,
  tags: z.record(z.string(), z.unknown()).nullish(),
});
export type SentrySpan = z.infer<typeof SentrySpanSchema>;

export const SentryTransactionSchema = z.object({
  transaction: z.string().nullish(),
  start_timestamp: Timestamp,
  timestamp: Timestamp,
  contexts: z.object({
    trace: z.object({
      trace_id: Hex32,
      span_id: Hex16,
      parent_span_id: Hex16.nullish(),
      op: z.string().nullish(),
      status: z.string().nullish(),
      origin: z.string().nullish(),
      data: Data,
    }),
  }),
  spans: z.array(z.unknown()).nullish(),
  tags: z.record(z.string(), z.unknown()).nullish(),
  environment: z.string().nullish(),
  release: z.string().nullish(),
  platform: z.string().nullish(),
  sdk: z.object({ name: z.string().nullish(), version: z.string().nullish() }).nullish(),
  measurements: z.record(z.string(), z.object({ value: z.number(), unit: z.string().nullish() })).nullish(),
});
export type SentryTransaction = z.infer<typeof SentryTransactionSchema>;
