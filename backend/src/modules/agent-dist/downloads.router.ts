import Router from '@koa/router';
import type { AppDeps } from '../../deps.js';
import { NotFoundError } from '../../errors.js';
import { agentBundle } from './agent-bundle.js';
import { installScript } from './install-script.js';
import { nativeModules } from './native-modules.js';

/** Public downloads outside /api/v1: the install script and the agent it fetches. */
export function agentDownloadsRouter(deps: AppDeps): Router {
  const router = new Router();
  router.get('/install.sh', (ctx) => {
    ctx.type = 'text/x-shellscript; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = installScript(deps.config.publicUrl);
  });
  router.get('/agent/syntra-agent.mjs', async (ctx) => {
    const bundle = await agentBundle();
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('X-Agent-Version', bundle.version);
    ctx.set('X-Content-Sha256', bundle.sha256);
    ctx.etag = bundle.sha256;
    ctx.body = bundle.code;
  });
  // The agent's native modules (node-pty for terminals, bufferutil) for one platform, e.g. /agent/native-linux-x64.tar.gz.
  router.get('/agent/native-:target.tar.gz', async (ctx) => {
    const pkg = await nativeModules(ctx.params.target ?? '');
    if (!pkg) throw new NotFoundError(`No native modules (node-pty) for "${ctx.params.target}" on this control plane`);
    ctx.type = 'application/gzip';
    ctx.set('X-Content-Sha256', pkg.sha256);
    ctx.set('X-Package-Version', pkg.version);
    ctx.etag = pkg.sha256;
    ctx.body = pkg.tarball;
  });
  return router;
}
