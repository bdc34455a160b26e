import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

/** A bare repository (the "remote") and a working clone that pushes to it with real `git push`. */
export function gitRemote(root: string, example = 'node-hello') {
  const bare = path.join(root, 'app.git');
  const work = path.join(root, 'work');
  const git = (args: string[], cwd = work) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' } }).trim();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  fs.mkdirSync(work);
  git(['init', '-q', '-b', 'main']);
  git(['remote', 'add', 'origin', bare]);
  fs.cpSync(path.join(EXAMPLES, example), work, { recursive: true });
  return {
    bare,
    url: `file://${bare}`,
    work,
    /** Writes files, commits and pushes; returns the new head sha. */
    commitAndPush(files: Record<string, string>, message: string) {
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(work, name), content);
      git(['add', '-A']);
      git(['commit', '-q', '-m', message]);
      git(['push', '-q', 'origin', 'main']);
      return git(['rev-parse', 'HEAD']);
    },
    read: (name: string) => fs.readFileSync(path.join(work, name), 'utf8'),
  };
}

/** The push event GitHub would send for a push to `url`'s main branch. */
export function pushEvent(url: string, sha: string, message: string) {
  return JSON.stringify({ ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, head_commit: { id: sha, message }, repository: { name: 'app', clone_url: url } });
}
