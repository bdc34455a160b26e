import { expect } from 'vitest';
import { type RunningAlerting, startAlerting } from '../../src/modules/alerts/index.js';
import { type Account, type ApiClient, apiClient, registerAccount } from '../support/api-client.js';
import type { TestEnv } from '../support/test-env.js';

/**
 * Alerting on a test env without its timer: a test makes rules due and runs one evaluation pass
 * (`evaluate`), so what fires when does not depend on the machine's speed.
 */
export interface AlertRig<E extends TestEnv> {
  env: E;
  api: ApiClient;
  owner: Account;
  worker: RunningAlerting;
  /** Creates an alert rule in the owner's org; its id. */
  rule(body: Record<string, unknown>): Promise<string>;
  /** The rule's events, newest first, as the API lists them. */
  events(ruleId: string): Promise<any[]>;
  /** Makes every rule due now and runs one evaluation pass. */
  evaluate(): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertRig<E extends TestEnv>(env: E, tag: string): Promise<AlertRig<E>> {
  const api = apiClient(env.url);
  const owner = await registerAccount(api, tag);
  const worker = await startAlerting(env.deps.services.alerts, env.deps.services.notifications, env.deps.services.alertData, env.deps.logger, {
    redisUrl: env.config.redisUrl!,
    publicUrl: env.url,
    intervalSeconds: 30,
    autoTick: false,
  });
  return {
    env,
    api,
    owner,
    worker,
    async rule(body) {
      const res = await api.post('/api/v1/alert-rules', body, { token: owner.token, orgId: owner.orgId });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.data.id as string;
    },
    events: async (ruleId) => (await api.get(`/api/v1/alert-events?rule_id=${ruleId}`, { token: owner.token, orgId: owner.orgId })).body.data.items as any[],
    async evaluate() {
      await env.db('alert_rules').update({ next_eval_at: new Date(Date.now() - 1000) });
      await worker.evaluator.tick();
    },
    async close() {
      await worker.close();
      await env.close();
    },
  };
}
