/**
 * OTLP protobuf encoding, through the message classes `@opentelemetry/otlp-transformer` 0.214 still
 * ships (protobufjs static code generated from opentelemetry-proto; later versions drop the decoders).
 * Its typings declare only a bare protobufjs Root, so the classes are typed here against otlp-model.
 */
import { createRequire } from 'node:module';
import type { OtlpRequestBySignal, OtlpSignal } from './otlp-model.js';

interface MessageClass<T> {
  decode(reader: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}
interface CollectorNamespace<Req, Res> {
  [name: string]: MessageClass<Req> | MessageClass<Res>;
}
interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        logs: { v1: CollectorNamespace<unknown, unknown> };
        trace: { v1: CollectorNamespace<unknown, unknown> };
        metrics: { v1: CollectorNamespace<unknown, unknown> };
      };
    };
  };
}

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as GeneratedRoot;
const collector = root.opentelemetry.proto.collector;

const requestClass = {
  logs: collector.logs.v1.ExportLogsServiceRequest,
  traces: collector.trace.v1.ExportTraceServiceRequest,
  metrics: collector.metrics.v1.ExportMetricsServiceRequest,
} as Record<OtlpSignal, MessageClass<unknown>>;
const responseClass = {
  logs: collector.logs.v1.ExportLogsServiceResponse,
  traces: collector.trace.v1.ExportTraceServiceResponse,
  metrics: collector.metrics.v1.ExportMetricsServiceResponse,
} as Record<OtlpSignal, MessageClass<unknown>>;

/** The name of each signal's rejected-count field in `Export*PartialSuccess` (proto field 1). */
export const REJECTED_FIELD: Record<OtlpSignal, string> = {
  logs: 'rejectedLogRecords',
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
};

export class OtlpDecodeError extends Error {}

/** Decodes an `Export*ServiceRequest`; throws OtlpDecodeError on bytes that are not one. */
export function decodeProtobufRequest<S extends OtlpSignal>(signal: S, body: Uint8Array): OtlpRequestBySignal[S] {
  try {
    return requestClass[signal].decode(body) as OtlpRequestBySignal[S];
  } catch (err) {
    throw new OtlpDecodeError(`Malformed protobuf ${signal} request: ${(err as Error).message}`);
  }
}

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** An `Export*ServiceResponse`; partial_success only when something was rejected (the spec's rule). */
export function encodeProtobufResponse(signal: OtlpSignal, partial: PartialSuccess | null): Uint8Array {
  const message = partial
    ? { partialSuccess: { [REJECTED_FIELD[signal]]: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return responseClass[signal].encode(message).finish();
}

/**
 * `google.rpc.Status { int32 code = 1; string message = 2; }`: the body of an OTLP/HTTP error answer.
 * The bundle has no Status class, but `ExportLogsPartialSuccess { int64 = 1; string = 2; }` has the
 * same wire form (field 1 varint, field 2 length-delimited) for a non-negative code, so it encodes it.
 */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  const statusShaped = collector.logs.v1.ExportLogsPartialSuccess as MessageClass<unknown>;
  return statusShaped.encode({ rejectedLogRecords: code, errorMessage: message }).finish();
}
