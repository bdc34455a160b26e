import { createHmac, randomBytes } from 'node:crypto';
import type { Deploy, Stop } from '@syntra/shared';
import { sha256Hex } from '../../src/lib/crypto.js';
import type { AgentGateway } from '../../src/modules/deployments/index.js';
import type { ApiClient, Account } from '../support/api-client.js';
import type { TestEnv } from '../support/test-env.js';

/** A registered server row (as the servers API creates it) and its agent token. */
export async function insertServer(env: TestEnv, orgId: string, name = 'web-1') {
  const token = `syn_a_${randomBytes(24).toString('base64url')}`;
  const [row] = await env.db('servers').insert({ org_id: orgId, name, agent_token_hash: sha256Hex(token), runtime: 'process' }).returning('id');
  return { id: row!.id, token };
}

/** Stands in for the agent hub: records frames, answers "connected" for the servers it is told. */
export class RecordingGateway implements AgentGateway {
  readonly connected = new Set<string>();
  readonly sent: Array<{ serverId: string; type: string; payload: Deploy | Stop }> = [];
  onSend: ((serverId: string, frame: { type: 'deploy'; payload: Deploy } | { type: 'stop'; payload: Stop }) => void) | null = null;
  async isConnected(serverId: string) {
    return this.connected.has(serverId);
  }
  async send(serverId: string, frame: { type: 'deploy'; payload: Deploy } | { type: 'stop'; payload: Stop }) {
    this.sent.push({ serverId, type: frame.type, payload: frame.payload });
    this.onSend?.(serverId, frame);
  }
}

export function signGithub(secret: string, body: string) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function createProjectAndService(api: ApiClient, owner: Account, serverId: string, project: Record<string, unknown> = {}, service: Record<string, unknown> = {}) {
  const p = await api.post('/api/v1/projects', { name: `App ${randomBytes(3).toString('hex')}`, ...project }, { token: owner.token, orgId: owner.orgId });
  if (p.status !== 201) throw new Error(`project: ${p.status} ${JSON.stringify(p.body)}`);
  const s = await api.post(`/api/v1/projects/${p.body.data.id}/services`, { name: 'web', server_id: serverId, ...service }, { token: owner.token });
  if (s.status !== 201) throw new Error(`service: ${s.status} ${JSON.stringify(s.body)}`);
  return { project: p.body.data, service: s.body.data };
}

export { waitFor } from '../../../test-support/wait.js';
