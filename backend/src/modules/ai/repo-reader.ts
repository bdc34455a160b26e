import { type RepoFilesArgs, RepoFilesResultSchema, type RepoFilesResult, REPO_FILES_COMMAND } from '@syntra/shared';
import { AgentOfflineError, AppError } from '../../errors.js';
import type { Actor } from '../orgs/index.js';

/** What reading a repository needs from other modules (given at construction, services.ts). */
export interface RepoReaderPorts {
  serverOf(orgId: string, serviceId: string): Promise<string>;
  /** Other services of the same project on the same server: their mirrors hold the same repository. */
  siblings(orgId: string, serviceId: string): Promise<string[]>;
  isOnline(serverId: string): Promise<boolean>;
  /** ServerService.command: journalled, audited as `server.command`, answered by the agent. */
  command(orgId: string, serverId: string, actor: Actor, input: { name: string; args: Record<string, unknown>; wait_ms: number }): Promise<{ status: string; ok: boolean | null; data?: unknown; error: { code: string; message: string } | null }>;
}

export class RepoUnavailableError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/**
 * Reads a service's repository from the git mirror its builds keep on its server (the `repo.files`
 * command, shared/src/protocol/repo-files.ts), validating the agent's answer before anything uses it.
 */
export class RepoReader {
  constructor(private readonly ports: RepoReaderPorts) {}

  /**
   * The service's own mirror, or, when it has none yet (a new service before its first build), the
   * mirror of another service of the same project on the same server.
   */
  async read(orgId: string, serviceId: string, actor: Actor, args: Omit<RepoFilesArgs, 'service_id'>): Promise<RepoFilesResult> {
    try {
      return await this.readMirror(orgId, serviceId, actor, args);
    } catch (err) {
      if (!(err instanceof RepoUnavailableError)) throw err;
      for (const sibling of (await this.ports.siblings(orgId, serviceId)).slice(0, 3)) {
        const listing = await this.readMirror(orgId, sibling, actor, args).catch(() => null);
        if (listing) return listing;
      }
      throw err;
    }
  }

  private async readMirror(orgId: string, serviceId: string, actor: Actor, args: Omit<RepoFilesArgs, 'service_id'>): Promise<RepoFilesResult> {
    const serverId = await this.ports.serverOf(orgId, serviceId);
    if (!(await this.ports.isOnline(serverId))) throw new AgentOfflineError();
    const answer = await this.ports.command(orgId, serverId, actor, { name: REPO_FILES_COMMAND, args: { ...args, service_id: serviceId }, wait_ms: 20_000 });
    if (answer.status !== 'answered') throw new RepoUnavailableError("The server's agent did not answer in time");
    if (!answer.ok) throw new RepoUnavailableError(`The repository could not be read on the server: ${answer.error?.message ?? 'unknown error'}`);
    const parsed = RepoFilesResultSchema.safeParse(answer.data);
    if (!parsed.success) throw new RepoUnavailableError("The agent's answer about the repository was not valid");
    return parsed.data;
  }
}
