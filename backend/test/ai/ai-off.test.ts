import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeId } from '../../src/http/route.js';
import { API_ROUTES } from '../../src/routes.js';
import { ROUTE_FIXTURES } from '../permission-matrix.fixtures.js';
import { startMatrixEnv } from '../support/matrix-env.js';
import type { MatrixCtx } from '../permission-matrix.fixtures.js';
import type { TestEnv } from '../support/test-env.js';

let env: TestEnv;
let ctx: MatrixCtx;

beforeAll(async () => {
  // No ANTHROPIC_API_KEY: AI is off.
  ({ env, ctx } = await startMatrixEnv());
});
afterAll(() => env.close());

const AI_ROUTES = API_ROUTES.filter((r) => r.path.startsWith('/api/v1/ai/'));

describe('AI off (no ANTHROPIC_API_KEY)', () => {
  it('covers every AI route', () => {
    expect(AI_ROUTES.length).toBeGreaterThanOrEqual(5);
  });
  for (const route of AI_ROUTES) {
    it(`${routeId(route)} answers 409 AI_DISABLED saying how to turn it on`, async () => {
      const req = await ROUTE_FIXTURES[routeId(route)]!.request(ctx, 'owner');
      const res = await ctx.api.request(route.method.toUpperCase(), req.path, req.body, { token: ctx.owner.token, orgId: req.orgId });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ success: false, error: { code: 'AI_DISABLED' } });
      expect(res.body.error.message).toContain('ANTHROPIC_API_KEY');
    });
  }
});
