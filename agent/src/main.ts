import { Agent } from './core/agent.js';
import { HandlerRegistry } from './core/handlers.js';
import { hostInfo } from './commands/host-info.js';
import { repoFiles } from './commands/repo-files.js';
import { AgentConfigError, loadAgentConfig } from './config.js';
import { createAgentLogger } from './log.js';
import { installProcessGuards } from './process-guards.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import { setUpDeploys } from './deploy/index.js';
import { setUpBuilds } from './build/index.js';
import { protectAgentFiles } from './build/protect.js';
import { containerExecFor, registerTerminalHandlers, serviceShellProvider } from './terminal/index.js';

/** `syntra-agent`: runs until SIGTERM/SIGINT, then shuts down gracefully. */
async function main() {
  const config = loadAgentConfig(process.argv.slice(2), process.env);
  const log = createAgentLogger(config.logLevel);
  installProcessGuards(log);
  const handlers = new HandlerRegistry().onCommand('host.info', hostInfo).onCommand('repo.files', repoFiles);
  protectAgentFiles(config.dataDir, config.configFile);
  let builds: ReturnType<typeof setUpBuilds>;
  try {
    builds = setUpBuilds(handlers, { token: config.token, dataDir: config.dataDir, log, dockerSocket: config.dockerSocket, buildUser: config.buildUser });
  } catch (err) {
    throw new AgentConfigError((err as Error).message);
  }
  if (builds.user) log.info('build steps run unprivileged', { user: builds.user.name, uid: builds.user.uid });
  // Domain routing needs a listener (e.g. SYNTRA_EDGE_HTTP_PORT=80); per-service stable ports work without it.
  const { url, token, dataDir, edgeHttpPort, dockerSocket } = config;
  const deploys = await setUpDeploys(handlers, { url, token, dataDir, log, edgeHttpPort, dockerSocket });
  const terminals = registerTerminalHandlers(handlers, { user: config.terminalUser, profile: config.terminalProfile });
  // Service terminals: a shell in the release dir (process runtime) or `exec -it` into the container.
  const serviceInstance = (id: string) => {
    const instance = deploys.manager.instance(id);
    return instance ? { ...instance.spec, container: (instance as { containerId?: string }).containerId ?? null } : null;
  };
  terminals.setServiceShellProvider(serviceShellProvider(serviceInstance, containerExecFor(dockerSocket)));
  const agent = new Agent({ url: config.url, token: config.token, dataDir: config.dataDir, runtime: deploys.runtimeWith(new ProcessRuntime()), log, handlers });
  deploys.recordTelemetryWith((items) => agent.record(items));
  agent.start();
  log.info('syntra-agent started', { url: config.url, data_dir: config.dataDir, pid: process.pid });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    terminals.closeAll();
    builds.manager.close();
    void agent.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof AgentConfigError ? `syntra-agent: ${err.message}` : err);
  process.exit(err instanceof AgentConfigError ? 2 : 1);
});
