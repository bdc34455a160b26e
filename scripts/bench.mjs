// `npm run bench -- <name> [args]`: runs bench/<name>.ts with tsx. Without a name, lists the benchmarks.
import fs from 'node:fs';
import path from 'node:path';
import { ensureInstalled, root, runForwardingSignals } from './ensure-install.mjs';

const [name, ...args] = process.argv.slice(2);
const available = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.log(`Usage: npm run bench -- <name>\nBenchmarks: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 2 : 0);
}
ensureInstalled();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
process.exit(await runForwardingSignals(tsx, [path.join(root, 'bench', `${name}.ts`), ...args]));
