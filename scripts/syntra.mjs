// `npm run syntra -- <command>` (api, worker, migrate, start, ingest): the compiled CLI with the control plane's V8 flags.
import { runForwardingSignals } from './ensure-install.mjs';
import { CONTROL_PLANE_NODE_FLAGS } from './node-flags.mjs';
import { ensureBuilt, syntraEntry } from './release.mjs';

if (!ensureBuilt()) process.exit(1);
process.exit(await runForwardingSignals(process.execPath, [...CONTROL_PLANE_NODE_FLAGS, syntraEntry, ...process.argv.slice(2)], { stopWithParent: true }));
