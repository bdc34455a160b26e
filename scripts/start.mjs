// `npm start`: install what is missing, build the release when stale, then run Syntra (API, agent hub,
// workers, embedded stores) from dist/ with plain node. package.json starts this file with the control
// plane's V8 flags, so Syntra runs in this very process (no wrapper process); started without them
// (`node scripts/start.mjs`), it starts itself again with them.
import { pathToFileURL } from 'node:url';
import { ensureInstalled, runForwardingSignals, watchLauncher } from './ensure-install.mjs';
import { CONTROL_PLANE_NODE_FLAGS } from './node-flags.mjs';
import { ensureBuilt, syntraEntry } from './release.mjs';

ensureInstalled();
if (!ensureBuilt()) process.exit(1);
const args = process.argv.slice(2);
if (!CONTROL_PLANE_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  process.exit(await runForwardingSignals(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, process.argv[1], ...args], { stopWithParent: true }));
}
// Terminated npm: shut down as on SIGTERM (the CLI's handler stops the agent, Redis and PostgreSQL).
watchLauncher(() => process.kill(process.pid, 'SIGTERM'));
process.argv = [process.argv[0], syntraEntry, 'start', ...args];
await import(pathToFileURL(syntraEntry).href);
