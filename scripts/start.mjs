// `npm start`: install what is missing, then run Syntra (API, agent hub, workers, embedded stores) in one process.
import path from 'node:path';
import { ensureConsoleBuilt } from './build-console.mjs';
import { ensureInstalled, root, runForwardingSignals } from './ensure-install.mjs';
import { CONTROL_PLANE_NODE_FLAGS } from './node-flags.mjs';

ensureInstalled();
ensureConsoleBuilt();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const code = await runForwardingSignals(tsx, [...CONTROL_PLANE_NODE_FLAGS, path.join(root, 'backend', 'src', 'cli.ts'), 'start', ...process.argv.slice(2)]);
process.exit(code);
