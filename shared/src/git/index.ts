export * from './fetch-policy.js';
