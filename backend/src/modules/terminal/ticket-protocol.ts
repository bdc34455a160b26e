/**
 * A console's session ticket travels in `Sec-WebSocket-Protocol`, never in the URL (URLs end up in
 * proxy and access logs). The console offers two subprotocols: TERMINAL_SUBPROTOCOL, which the relay
 * selects (a browser drops a handshake whose answer names none of the protocols it offered), and
 * `syntra.ticket.<ticket>`, which is read and never echoed back. The desktop console's
 * terminal-connection.ts spells the same two names.
 */
export const TERMINAL_SUBPROTOCOL = 'syntra.terminal.v1';
export const TICKET_PROTOCOL_PREFIX = 'syntra.ticket.';

/** Tickets are base64url, so they are valid subprotocol tokens as they are. */
export const ticketProtocol = (ticket: string) => `${TICKET_PROTOCOL_PREFIX}${ticket}`;

export function ticketFromProtocols(header: string | undefined): string | null {
  for (const offered of (header ?? '').split(',')) {
    const p = offered.trim();
    if (p.startsWith(TICKET_PROTOCOL_PREFIX) && p.length > TICKET_PROTOCOL_PREFIX.length) return p.slice(TICKET_PROTOCOL_PREFIX.length);
  }
  return null;
}
