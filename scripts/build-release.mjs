// `npm run build`: installs what is missing, then builds the release into dist/ (scripts/build.mjs, run
// under tsx because it bundles our TypeScript sources).
import path from 'node:path';
import { ensureInstalled, root, runForwardingSignals } from './ensure-install.mjs';

ensureInstalled();
process.exit(await runForwardingSignals(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'build.mjs')]));
