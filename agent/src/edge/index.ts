export { EdgeProxy } from './edge-proxy.js';
export { Upstream } from './upstream.js';
