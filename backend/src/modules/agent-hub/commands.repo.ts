import type { Knex } from 'knex';
import type { SecretBox } from '../../lib/secret-box.js';
import type { CommandRow } from './commands.tables.js';

export type { CommandRow };

const COMMAND_TTL_MS = 24 * 3_600_000;
/** Where a stored payload keeps its secret fields, sealed (AES-256-GCM) under the installation key. */
const SEALED = '$sealed';

/**
 * Commands for agents, kept until answered. A delivery is claimed atomically (pending → delivered),
 * so two nodes never send the same command; an unanswered one goes out again in the next hello_ack.
 */
export class CommandsRepo {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
  ) {}

  /**
   * `delivered`: the caller sends it right away on a socket it holds. `secretKeys` (e.g. a deploy
   * frame's `env`) are stored sealed, so the table, its backups and `find` never hold them in clear;
   * they are opened only to deliver the frame (`claim`, `claimUnanswered`).
   */
  async insert(cmd: { id: string; serverId: string; type: CommandRow['type']; name: string | null; payload: Record<string, unknown>; secretKeys?: readonly string[]; createdBy: string | null; delivered?: boolean }) {
    const [row] = await this.db('agent_commands')
      .insert({
        ...(cmd.delivered ? { status: 'delivered', delivery_count: 1, delivered_at: this.db.fn.now() } : {}),
        id: cmd.id,
        server_id: cmd.serverId,
        type: cmd.type,
        name: cmd.name,
        payload: JSON.stringify(this.seal(cmd.payload, cmd.secretKeys ?? [])),
        created_by: cmd.createdBy,
        expires_at: new Date(Date.now() + COMMAND_TTL_MS),
      })
      .returning('*');
    return row!;
  }

  async find(id: string): Promise<CommandRow | undefined> {
    return this.db('agent_commands').where({ id }).first();
  }

  /** Claims a pending command for delivery; undefined if another node (or an earlier call) did. */
  async claim(id: string, serverId: string): Promise<CommandRow | undefined> {
    const [row] = await this.db('agent_commands')
      .where({ id, server_id: serverId, status: 'pending' })
      .where('expires_at', '>', this.db.fn.now())
      .update({ status: 'delivered', delivery_count: this.db.raw('delivery_count + 1'), delivered_at: this.db.fn.now() })
      .returning('*');
    return row ? this.open(row) : undefined;
  }

  /**
   * Every unanswered, unexpired command of a server, marked delivered again (for hello_ack).
   * `deploy` and `build` frames are left out: the deploy module composes them again from the
   * database (`pending_deployments`, `pending_builds`).
   */
  async claimUnanswered(serverId: string): Promise<CommandRow[]> {
    return this.db('agent_commands')
      .whereIn('id', (q) =>
        q
          .select('id')
          .from('agent_commands')
          .where({ server_id: serverId })
          .whereNotIn('type', ['deploy', 'build'])
          .whereIn('status', ['pending', 'delivered'])
          .where('expires_at', '>', this.db.fn.now()),
      )
      .update({ status: 'delivered', delivery_count: this.db.raw('delivery_count + 1'), delivered_at: this.db.fn.now() })
      .returning('*')
      .then((rows: CommandRow[]) => rows.map((r) => this.open(r)).sort((a, b) => +new Date(a.created_at) - +new Date(b.created_at)));
  }

  /** Records the agent's answer once; a second answer to the same command is ignored. */
  async answer(id: string, serverId: string, result: { ok: boolean; data: unknown; error: { code: string; message: string } | null; at?: string }): Promise<boolean> {
    const n = await this.db('agent_commands')
      .where({ id, server_id: serverId })
      .whereIn('status', ['pending', 'delivered'])
      .update({
        status: 'answered',
        ok: result.ok,
        data: result.data === undefined ? null : JSON.stringify(result.data),
        error: result.error ? JSON.stringify(result.error) : null,
        answered_at: result.at ? new Date(result.at) : this.db.fn.now(),
      });
    return n > 0;
  }

  /** Marks every `build` command of a deployment answered and removes its sealed part (the deploy key). */
  async settleBuilds(serverId: string, deploymentId: string): Promise<void> {
    await this.db('agent_commands')
      .where({ server_id: serverId, type: 'build' })
      .whereRaw("payload->>'deployment_id' = ?", [deploymentId])
      .update({
        status: this.db.raw("CASE WHEN status IN ('pending', 'delivered') THEN 'answered' ELSE status END"),
        answered_at: this.db.raw('COALESCE(answered_at, now())'),
        payload: this.db.raw('payload - ?', [SEALED]),
      });
  }

  async expireOld(): Promise<number> {
    const n = await this.db('agent_commands').whereIn('status', ['pending', 'delivered']).where('expires_at', '<=', this.db.fn.now()).update({ status: 'expired' });
    // An expired build frame's deploy key (sealed) goes too: nothing will deliver it any more.
    await this.db('agent_commands').where({ type: 'build', status: 'expired' }).whereRaw('payload \\? ?', [SEALED]).update({ payload: this.db.raw('payload - ?', [SEALED]) });
    return n;
  }

  private seal(payload: Record<string, unknown>, secretKeys: readonly string[]): Record<string, unknown> {
    const secrets = Object.fromEntries(secretKeys.filter((k) => k in payload).map((k) => [k, payload[k]]));
    if (Object.keys(secrets).length === 0) return payload;
    const rest = Object.fromEntries(Object.entries(payload).filter(([k]) => !(k in secrets)));
    return { ...rest, [SEALED]: this.box.sealJson(secrets) };
  }

  /** The payload as the agent must receive it. */
  private open(row: CommandRow): CommandRow {
    const sealed = row.payload[SEALED];
    if (typeof sealed !== 'string') return row;
    const { [SEALED]: _, ...rest } = row.payload;
    return { ...row, payload: { ...rest, ...this.box.openJson<Record<string, unknown>>(sealed) } };
  }
}
