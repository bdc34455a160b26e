export * from './fetch-policy.js';
export * from './ref-name.js';
export * from './git-host.js';
export * from './git-url.js';
export * from './address-policy.js';
