import { TICKET_PROTOCOL_PREFIX } from '@syntra/shared';

/** The ticket a console offered as a `syntra.ticket.<ticket>` subprotocol (see @syntra/shared's terminal API). */
export function ticketFromProtocols(header: string | undefined): string | null {
  for (const offered of (header ?? '').split(',')) {
    const p = offered.trim();
    if (p.startsWith(TICKET_PROTOCOL_PREFIX) && p.length > TICKET_PROTOCOL_PREFIX.length) return p.slice(TICKET_PROTOCOL_PREFIX.length);
  }
  return null;
}
