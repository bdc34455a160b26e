import type { Breadcrumb, EventException, IssueLevel, StackFrame } from '@syntra/shared';

/**
 * An SDK event after normalisation: what grouping reads and what is stored (gzip'd JSON). The shapes
 * of frames, exceptions and breadcrumbs are the API's own, so an event detail is this plus ids.
 */
export interface NormalizedEvent {
  event_id: string;
  /** ISO 8601 (milliseconds): the SDK's timestamp, or the receive time when absent or implausible. */
  timestamp: string;
  received_at: string;
  platform: string | null;
  level: IssueLevel;
  logger: string | null;
  transaction: string | null;
  server_name: string | null;
  release: string | null;
  environment: string | null;
  /** The formatted message (logentry.formatted, else the template with its params, else `message`). */
  message: string | null;
  /** `logentry.message` when the SDK sent a template (`Order %s failed`). */
  message_template: string | null;
  /** Sentry's order: causes first, the exception that was thrown last; frames outermost call first. */
  exceptions: EventException[];
  /** A stack trace outside any exception (message events with attachStacktrace, a crashed thread). */
  stacktrace: StackFrame[] | null;
  breadcrumbs: Breadcrumb[];
  tags: Record<string, string>;
  contexts: Record<string, unknown>;
  extra: Record<string, unknown>;
  request: {
    url: string | null;
    method: string | null;
    query_string: string | null;
    headers: Record<string, string>;
    data: unknown;
  } | null;
  user: { id: string | null; email: string | null; username: string | null; ip_address: string | null } | null;
  sdk: { name: string | null; version: string | null } | null;
  fingerprint: string[] | null;
  attachments: Array<{ filename: string; content_type: string | null; size: number }>;
}
