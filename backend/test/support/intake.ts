import { NodeClient, Scope, defaultStackParser, linkedErrorsIntegration, makeNodeTransport } from '@sentry/node';
import type { ErrorEventProcessor, ReceivedEvent, ReceivedTransaction, TransactionProcessor } from '../../src/modules/ingest/index.js';
import type { ApiClient } from './api-client.js';
import type { TestEnv } from './test-env.js';

/** Stands in for the error module: records what the intake's consumer hands it (may fail on demand). */
export class RecordingProcessor implements ErrorEventProcessor, TransactionProcessor {
  readonly events: ReceivedEvent[] = [];
  readonly transactions: ReceivedTransaction[] = [];
  calls = 0;
  /** The next N calls throw (a processor that is down). */
  failNext = 0;
  /** Calls throw while one of their events matches this. */
  poison: ((e: ReceivedEvent) => boolean) | null = null;
  /** Called before recording; a test can hold the call here. */
  gate: (() => Promise<void>) | null = null;

  async process(items: ReceivedEvent[] | ReceivedTransaction[]): Promise<void> {
    this.calls += 1;
    if (this.gate) await this.gate();
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('stand-in processor failure');
    }
    const list = items as ReceivedEvent[];
    if (this.poison && list.some(this.poison)) throw new Error('stand-in: poison event');
    for (const item of list) {
      const into = 'clientIp' in item ? this.events : (this.transactions as unknown as ReceivedEvent[]);
      // Idempotent per (service, event), as the real processor must be.
      if (!into.some((e) => e.eventId === item.eventId && e.serviceId === item.serviceId)) into.push(item);
    }
  }
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A project with a service in the account's org (a server row stands in for a registered machine); its first DSN. */
export async function serviceWithDsn(env: Pick<TestEnv, 'db'>, api: ApiClient, owner: { token: string; orgId: string }, name = 'web') {
  const [server] = await env.db('servers').insert({ org_id: owner.orgId, name: `srv-${Date.now()}-${Math.random()}`, agent_token_hash: 'e'.repeat(64), status: 'online' }).returning('id');
  const project = await api.post('/api/v1/projects', { name: `P-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, git_repo_url: 'https://github.com/acme/app.git' }, { token: owner.token, orgId: owner.orgId });
  const service = await api.post(`/api/v1/projects/${project.body.data.id}/services`, { name, server_id: server!.id }, { token: owner.token });
  const serviceId = service.body.data.id as string;
  const keys = await api.get(`/api/v1/services/${serviceId}/keys`, { token: owner.token });
  const key = keys.body.data.items[0] as { id: string; public_key: string; dsn: string };
  const projectRef = Number(key.dsn.split('/').pop());
  return { serviceId, projectId: project.body.data.id as string, key, dsn: key.dsn, projectRef };
}

/** The real @sentry/node client on its own scope (no global init, so one test may use several DSNs). */
export function sentryNode(dsn: string, opts: { release?: string; environment?: string } = {}) {
  const client = new NodeClient({ dsn, transport: makeNodeTransport, stackParser: defaultStackParser, integrations: [linkedErrorsIntegration()], ...opts });
  client.init();
  const scope = new Scope();
  scope.setClient(client);
  return { client, scope, flush: () => client.flush(10_000) };
}
