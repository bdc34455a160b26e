/**
 * V8 flags every agent process is started with (install.sh's unit, the local agent, the bench).
 *
 * Terminal output allocates Buffers fast (node's 4 KiB pty reads, our frames, ws's masked copies)
 * but few JS objects, so scavenges are rare and V8 counts the Buffers' bytes toward the
 * old-generation limit between them. With the limit sized from the agent's small heap (~12 MB),
 * a `cat` of a large file triggered a full mark-compact every ~5 MB of output (15–20 per 100 MB,
 * each marking on the helper threads too). Starting the limit at 128 MB leaves scavenges to free
 * those Buffers: 2 mark-compacts per 100 MB, +~15% terminal throughput, peak RSS +~50 MB during a
 * flood (see `npm run bench -- terminal`). It is a starting limit: an idle agent's heap stays small.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
