import type { Knex } from 'knex';
import type { TerminalSessionRow } from './terminal.tables.js';

export type { TerminalSessionRow };

export class TerminalRepo {
  constructor(private readonly db: Knex) {}

  async insert(row: Omit<TerminalSessionRow, 'status' | 'bytes_in' | 'bytes_out' | 'exit_code' | 'exit_signal' | 'started_at' | 'ended_at' | 'prev_ticket_hash' | 'prev_ticket_expires_at'>) {
    await this.db('terminal_sessions').insert({ ...row, target: JSON.stringify(row.target) });
  }

  find(id: string): Promise<TerminalSessionRow | undefined> {
    return this.db('terminal_sessions').where({ id }).first();
  }

  async findWithUser(id: string) {
    return this.db('terminal_sessions as t')
      .leftJoin('users as u', 'u.id', 't.user_id')
      .where('t.id', id)
      .first<(TerminalSessionRow & { user_email: string | null }) | undefined>('t.*', 'u.email as user_email');
  }

  async orgIdOf(id: string): Promise<string | null> {
    const row = await this.db('terminal_sessions').select('org_id').where({ id }).first<{ org_id: string } | undefined>();
    return row?.org_id ?? null;
  }

  /** First attach turns `pending` into `open`; returns true for exactly one caller. */
  /**
   * Replaces the session's ticket, only if it is still the one `seen` (two attaches racing with the
   * same ticket: one wins). `previous` stays valid until `previousExpiresAt`.
   */
  async rotateTicket(id: string, seen: string, next: string, previous: string | null, previousExpiresAt: Date | null): Promise<boolean> {
    const n = await this.db('terminal_sessions').where({ id, ticket_hash: seen }).update({ ticket_hash: next, prev_ticket_hash: previous, prev_ticket_expires_at: previousExpiresAt });
    return n > 0;
  }

  async markOpen(id: string): Promise<boolean> {
    const n = await this.db('terminal_sessions').where({ id, status: 'pending' }).update({ status: 'open' });
    return n > 0;
  }

  async addBytes(id: string, bytesIn: number, bytesOut: number) {
    if (!bytesIn && !bytesOut) return;
    await this.db('terminal_sessions')
      .where({ id })
      .update({ bytes_in: this.db.raw('bytes_in + ?', [bytesIn]), bytes_out: this.db.raw('bytes_out + ?', [bytesOut]) });
  }

  /** Ends a session once; returns the row when this call ended it. */
  async end(id: string, exit: { exitCode: number | null; signal: string | null }): Promise<TerminalSessionRow | undefined> {
    const rows = await this.db('terminal_sessions')
      .where({ id })
      .whereNot({ status: 'ended' })
      .update({ status: 'ended', ended_at: this.db.fn.now(), exit_code: exit.exitCode, exit_signal: exit.signal })
      .returning('*');
    return rows[0];
  }

  /**
   * Sessions whose record can no longer end by itself: never attached within `pendingMs`, or still
   * open while their server has been silent (agent gone, so its ptys and grace timers too) for `silentMs`.
   */
  async stale(pendingMs: number, silentMs: number): Promise<string[]> {
    const rows = await this.db('terminal_sessions as t')
      .leftJoin('servers as s', 's.id', 't.server_id')
      .whereNot('t.status', 'ended')
      .andWhere((q) =>
        q
          .where((p) => p.where('t.status', 'pending').andWhere('t.started_at', '<', new Date(Date.now() - pendingMs)))
          .orWhereNull('t.server_id')
          .orWhere((o) => o.where('s.status', 'offline').andWhere((h) => h.whereNull('s.last_heartbeat_at').orWhere('s.last_heartbeat_at', '<', new Date(Date.now() - silentMs)))),
      )
      .limit(500)
      .select<{ id: string }[]>('t.id');
    return rows.map((r) => r.id);
  }

  list(orgId: string, serverId: string, limit: number) {
    return this.db('terminal_sessions as t')
      .leftJoin('users as u', 'u.id', 't.user_id')
      .where({ 't.org_id': orgId, 't.server_id': serverId })
      .orderBy('t.started_at', 'desc')
      .limit(limit)
      .select<(TerminalSessionRow & { user_email: string | null })[]>('t.*', 'u.email as user_email');
  }
}
