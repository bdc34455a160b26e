import { z } from 'zod';

/** The closed list of error codes every API error carries. Clients switch on these, never on messages. */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'AGENT_OFFLINE',
  'PLAN_LIMIT',
  'FEATURE_DISABLED',
  /** Registration needs an invite token on this installation (SYNTRA_SIGNUP=invite). */
  'INVITE_REQUIRED',
  /** Registration is closed on this installation (SYNTRA_SIGNUP=closed). */
  'SIGNUP_CLOSED',
  /** AI features are off on this installation (no ANTHROPIC_API_KEY). */
  'AI_DISABLED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** HTTP status for each code: one table, used by the backend's error middleware. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  AGENT_OFFLINE: 503,
  // A quota (the organisation's monthly AI token budget) is used up: 429, as issue 15 names it.
  PLAN_LIMIT: 429,
  FEATURE_DISABLED: 404,
  INVITE_REQUIRED: 403,
  SIGNUP_CLOSED: 403,
  // A 4xx, not 503: nothing is down and retrying will not help until the operator sets a key;
  // distinct from 403/404 so clients (and the permission matrix) can tell it from access.
  AI_DISABLED: 409,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
  request_id: z.string(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ErrorEnvelopeSchema = z.object({ success: z.literal(false), error: ApiErrorSchema });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}
