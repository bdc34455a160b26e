/** One entry point for both OTLP/HTTP encodings: bytes + content type → otlp-model's request. */
import type { z } from 'zod';
import { ExportLogsRequestSchema, ExportMetricsRequestSchema, ExportTraceRequestSchema } from './otlp-json.schemas.js';
import type { OtlpRequestBySignal, OtlpSignal } from './otlp-model.js';
import { decodeProtobufRequest, OtlpDecodeError } from './otlp-proto.js';

export type OtlpEncoding = 'protobuf' | 'json';

const JSON_SCHEMAS: Record<OtlpSignal, z.ZodType<unknown, unknown>> = {
  logs: ExportLogsRequestSchema,
  traces: ExportTraceRequestSchema,
  metrics: ExportMetricsRequestSchema,
};

/** The encoding a Content-Type names (the spec's two), or null for anything else (415). */
export function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : 'body';
  return `${where}: ${issue.message}`;
}

/** Throws OtlpDecodeError (→ 400, not retried) with a message that says where the data is wrong. */
export function decodeRequest<S extends OtlpSignal>(signal: S, encoding: OtlpEncoding, body: Buffer): OtlpRequestBySignal[S] {
  if (encoding === 'protobuf') return decodeProtobufRequest(signal, body);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new OtlpDecodeError(`Malformed JSON ${signal} request: ${(err as Error).message}`);
  }
  const parsed = JSON_SCHEMAS[signal].safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map(describeIssue).join('; ');
    throw new OtlpDecodeError(`Invalid OTLP JSON ${signal} request: ${issues}`);
  }
  return parsed.data as OtlpRequestBySignal[S];
}
