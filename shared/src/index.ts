export * from './errors.js';
export * from './rbac.js';
export * from './api/common.js';
export * from './api/auth.js';
export * from './api/orgs.js';
export * from './api/tokens.js';
