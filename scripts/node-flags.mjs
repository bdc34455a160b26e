/**
 * V8 flags the control plane is started with (`npm start`, `npm run syntra -- <command>`, the benchmarks). Same reason as the
 * agent's (backend/src/modules/agent-dist/agent-node-flags.ts): relayed terminal output allocates
 * Buffers fast and JS objects slowly, and with the old-generation limit sized from the heap (~35 MB)
 * V8 ran a full mark-compact every few MB of output; a 128 MB starting limit cut the control
 * plane's CPU per relayed MB about in half.
 * A 64 MB young generation (semi-space; V8's default tops out at 16 MB): intake requests live for a
 * group commit (tens of ms) and 5 KB events stayed alive across scavenges, which then copied and
 * promoted them — GC was 12–14 % of the JS thread in `npm run bench -- errors`; with 64 MB it was
 * 4 % and syntra's CPU per event fell by about a third. The young generation grows to it only
 * under allocation pressure, so idle memory is unchanged.
 */
// package.json's "start" script passes these too (scripts/start.mjs then runs Syntra in-process); keep them in step.
export const CONTROL_PLANE_NODE_FLAGS = ['--initial-old-space-size=128', '--max-semi-space-size=64'];
