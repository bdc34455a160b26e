// `npm start`: install what is missing, build the release when stale, then run Syntra (API, agent hub,
// workers, embedded stores) from dist/ with plain node, in one process.
import { ensureInstalled, runForwardingSignals } from './ensure-install.mjs';
import { CONTROL_PLANE_NODE_FLAGS } from './node-flags.mjs';
import { ensureBuilt, syntraEntry } from './release.mjs';

ensureInstalled();
if (!ensureBuilt()) process.exit(1);
const code = await runForwardingSignals(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, syntraEntry, 'start', ...process.argv.slice(2)], { stopWithParent: true });
process.exit(code);
