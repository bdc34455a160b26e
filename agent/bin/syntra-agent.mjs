#!/usr/bin/env node
// Development entry: runs the TypeScript sources through tsx. Installed hosts run the bundle
// served by the control plane (/agent/syntra-agent.mjs) instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
