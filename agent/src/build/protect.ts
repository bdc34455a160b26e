import fs from 'node:fs';

/**
 * When the agent runs as root its build steps run as another user: the data dir becomes
 * traversable but not listable (0711: builds reach their own `builds/<id>` and `git-cache`), and
 * the config file (it holds the token) readable by root only.
 */
export function protectAgentFiles(dataDir: string, configFile: string | null, isRoot = process.getuid?.() === 0) {
  if (!isRoot) return;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o711);
  if (configFile && (fs.statSync(configFile).mode & 0o077) !== 0) fs.chmodSync(configFile, 0o600);
}
