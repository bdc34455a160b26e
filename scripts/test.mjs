// `npm test`: install what is missing, start disposable PostgreSQL and Redis, run every test, stop them.
import path from 'node:path';
import { ensureInstalled, root, runForwardingSignals } from './ensure-install.mjs';

ensureInstalled();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const code = await runForwardingSignals(tsx, [path.join(root, 'scripts', 'run-tests.ts'), ...process.argv.slice(2)]);
process.exit(code);
