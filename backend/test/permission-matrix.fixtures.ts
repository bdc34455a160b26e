/**
 * One fixture per route in API_ROUTES (keyed "METHOD /path"), used by permission-matrix.test.ts and
 * malformed-input.test.ts. A route without a fixture fails the matrix test, so a new route cannot
 * be forgotten.
 *
 * `request(ctx, as)` returns a fresh, valid request for that route inside the OWNER's organisation
 * (`ctx.owner.orgId`), creating whatever it needs through the API with `ctx.owner.token`. It runs
 * once per caller (`as` = owner/admin/developer/viewer/outsider), so destructive routes get a fresh
 * target each time. For org-scoped routes the matrix then expects: allowed roles → `ok` (default:
 * the route's declared status), other roles → 403, an outsider (member only of another org) → 404.
 * `user` routes: every signed-in caller → `ok`; public routes are only checked for "not 5xx".
 */
// The fixtures live beside their modules' in matrix-fixtures/ (one file per module, merged in index.ts).
export { type Caller, type FixtureRequest, MATRIX_EXCEPTIONS, type MatrixCtx, ROUTE_FIXTURES, type RouteFixture } from './matrix-fixtures/index.js';
