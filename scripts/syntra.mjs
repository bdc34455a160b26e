// `npm run syntra -- <command>` (api, worker, migrate, start): the CLI with the control plane's V8 flags.
import path from 'node:path';
import { root, runForwardingSignals } from './ensure-install.mjs';
import { CONTROL_PLANE_NODE_FLAGS } from './node-flags.mjs';

const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
process.exit(await runForwardingSignals(tsx, [...CONTROL_PLANE_NODE_FLAGS, path.join(root, 'backend', 'src', 'cli.ts'), ...process.argv.slice(2)]));
