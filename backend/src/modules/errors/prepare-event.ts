import { createHash } from 'node:crypto';
import type { ReceivedEvent } from '../ingest/index.js';
import { groupEvent, type Grouping } from './fingerprint.js';
import { summarize, type EventSummaryFields } from './summary.js';
import { normalizeEvent } from './normalize-event.js';
import type { NormalizedEvent } from './normalized-event.js';

/** One received event, normalised and grouped: everything the batch needs without I/O. */
export interface PreparedEvent {
  source: ReceivedEvent;
  event: NormalizedEvent;
  grouping: Grouping;
  summary: EventSummaryFields;
  timestamp: Date;
  /** The distinct-user key, hashed per service (user.id, else email, else IP address); null without a user. */
  userHash: string | null;
  /** `service_id:fingerprint`: the events of one issue. */
  issueKey: string;
}

function userKey(e: NormalizedEvent): string | null {
  const u = e.user;
  if (!u) return null;
  if (u.id) return `id:${u.id}`;
  if (u.email) return `email:${u.email.toLowerCase()}`;
  if (u.ip_address) return `ip:${u.ip_address}`;
  return null;
}

export function prepareEvent(source: ReceivedEvent): PreparedEvent {
  const event = normalizeEvent(source);
  const grouping = groupEvent(event);
  const key = userKey(event);
  return {
    source,
    event,
    grouping,
    summary: summarize(event),
    timestamp: new Date(event.timestamp),
    userHash: key ? createHash('sha256').update(`${source.serviceId}|${key}`).digest('hex') : null,
    issueKey: `${source.serviceId}:${grouping.hash}`,
  };
}
