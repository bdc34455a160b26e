export { EdgeProxy } from './edge-proxy.js';
export { Upstream, type Target } from './upstream.js';
