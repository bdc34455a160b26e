import type { Build, BuildLog, BuildResult } from '@syntra/shared';
import type { AgentLogger } from '../log.js';
import type { Builder } from './builder.js';
import { uploadArtifact } from './upload.js';

export interface BuildSender {
  buildLog(payload: BuildLog): void;
  buildResult(payload: BuildResult): void;
}

const MAX_REMEMBERED = 200;
const MAX_LINE = 65_536;

/** Build output batched into `build_log` frames (every 200 ms, or at 1000 lines). */
class BuildLines {
  private lines: BuildLog['lines'] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deploymentId: string,
    private readonly send: (p: BuildLog) => void,
  ) {
    this.timer = setInterval(() => this.flush(), 200);
    this.timer.unref();
  }

  add = (stream: 'build' | 'system', line: string) => {
    this.lines.push({ ts: new Date().toISOString(), stream, line: line.slice(0, MAX_LINE) });
    if (this.lines.length >= 1000) this.flush();
  };

  flush() {
    if (!this.lines.length) return;
    const lines = this.lines;
    this.lines = [];
    this.send({ deployment_id: this.deploymentId, lines });
  }

  close() {
    clearInterval(this.timer);
    this.flush();
  }
}

/**
 * Runs the builds the control plane sends: one at a time per deployment, answered once. A re-sent
 * `build` (a retried job, a reconnect's hello_ack) for a build in progress is ignored — its result
 * comes when it ends — and one already finished is answered with the result kept in memory.
 * `build_cancel` kills the build's process group.
 */
export class BuildManager {
  private readonly running = new Map<string, { ac: AbortController; requestId: string }>();
  private readonly results = new Map<string, BuildResult>();
  private readonly perService = new Map<string, Promise<void>>();

  constructor(
    private readonly o: {
      builder: Pick<Builder, 'build'>;
      token: string;
      sender: BuildSender;
      log: AgentLogger;
    },
  ) {}

  handle(frame: Build): void {
    const id = frame.deployment_id;
    const known = this.results.get(id);
    if (known) {
      this.o.sender.buildResult({ ...known, request_id: frame.request_id });
      return;
    }
    const running = this.running.get(id);
    if (running) {
      running.requestId = frame.request_id;
      this.o.sender.buildLog({ deployment_id: id, lines: [{ ts: new Date().toISOString(), stream: 'system', line: 'the build was sent again; it is already running on this server' }] });
      return;
    }
    const entry = { ac: new AbortController(), requestId: frame.request_id };
    this.running.set(id, entry);
    // Builds of one service take turns: they share its git mirror.
    const previous = this.perService.get(frame.service_id) ?? Promise.resolve();
    const next = previous
      .then(() => this.run(frame, entry))
      .catch((err: unknown) => this.o.log.error('build crashed', { deployment_id: id, error: String(err) }))
      .finally(() => this.running.delete(id));
    this.perService.set(frame.service_id, next);
    void next.finally(() => {
      if (this.perService.get(frame.service_id) === next) this.perService.delete(frame.service_id);
    });
  }

  cancel(deploymentId: string): boolean {
    const running = this.running.get(deploymentId);
    running?.ac.abort();
    return Boolean(running);
  }

  isBuilding(deploymentId: string) {
    return this.running.has(deploymentId);
  }

  /** Stops every running build (agent shutdown). */
  close() {
    for (const r of this.running.values()) r.ac.abort();
  }

  private async run(frame: Build, entry: { ac: AbortController; requestId: string }) {
    const started = Date.now();
    const lines = new BuildLines(frame.deployment_id, (p) => this.o.sender.buildLog(p));
    const base = { deployment_id: frame.deployment_id, commits: [] as BuildResult['commits'], commits_complete: false };
    let result: Omit<BuildResult, 'request_id'>;
    try {
      if (entry.ac.signal.aborted) throw new Error('cancelled before it started');
      const built = await this.o.builder.build(frame, lines.add, entry.ac.signal);
      lines.add('system', 'uploading the artifact to the control plane');
      const up = await uploadArtifact({ url: frame.upload_url, token: this.o.token, file: built.file, digest: built.digest, kind: built.kind, imageRef: built.imageRef }, entry.ac.signal);
      result = {
        ...base,
        ok: true,
        artifact_id: up.artifact_id,
        digest: built.digest,
        kind: built.kind,
        image_ref: built.imageRef,
        start_command: built.startCommand,
        sha: built.sha,
        commit_message: built.message.slice(0, 10_000),
        commits: built.commits,
        commits_complete: built.commitsComplete,
        duration_ms: Date.now() - started,
        error: null,
      };
    } catch (err) {
      const cancelled = entry.ac.signal.aborted;
      const message = cancelled ? 'The build was cancelled' : err instanceof Error ? err.message : String(err);
      if (!cancelled) lines.add('system', `build failed: ${message}`);
      result = { ...base, ok: false, artifact_id: null, digest: null, kind: null, image_ref: null, start_command: null, sha: null, commit_message: null, duration_ms: Date.now() - started, error: message.slice(0, 10_000) };
      if (cancelled) {
        lines.close();
        this.o.log.info('build cancelled', { deployment_id: frame.deployment_id });
        return;
      }
    }
    lines.close();
    this.remember(frame.deployment_id, { ...result, request_id: entry.requestId });
    this.o.log.info('build finished', { deployment_id: frame.deployment_id, ok: result.ok });
    this.o.sender.buildResult({ ...result, request_id: entry.requestId });
  }

  private remember(id: string, r: BuildResult) {
    this.results.set(id, r);
    while (this.results.size > MAX_REMEMBERED) this.results.delete(this.results.keys().next().value!);
  }
}
