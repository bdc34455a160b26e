import type { Build, GitFetchPolicy } from '@syntra/shared';
import type { ServiceContext } from '../services/index.js';
import type { DeploymentRow } from './deployments.repo.js';

/** What building needs from the projects module: the sealed deploy key opened, and the org's git policy. */
export interface BuildSecrets {
  openDeployKey(sealed: string): string;
  gitFetchPolicy(orgId: string): Promise<GitFetchPolicy>;
}

export interface BuildSettings {
  projects: BuildSecrets;
  /** Base images of generated Dockerfiles (SYNTRA_BUILD_NODE_IMAGE / SYNTRA_BUILD_STATIC_IMAGE). */
  baseImages: { node: string; static: string };
  publicUrl: string;
  /** The Dockerfile saved for a service (the AI module's), sent with its builds; absent: none. */
  savedDockerfile?: (serviceId: string) => Promise<{ dockerfile: string; dockerignore: string } | null>;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The `build` frame for a deployment, composed from the database each time it is sent: the deploy
 * key is opened here and travels only over the agent's socket, never in job data or logs.
 */
export async function composeBuildFrame(s: BuildSettings, d: DeploymentRow, svc: ServiceContext, baseSha: string | null, requestId: string): Promise<Build> {
  if (!svc.project_git_repo_url) throw new Error('The project has no git repository');
  const key = svc.project_git_deploy_key ? s.projects.openDeployKey(svc.project_git_deploy_key) : undefined;
  return {
    request_id: requestId,
    deployment_id: d.id,
    service_id: svc.id,
    git: {
      url: svc.project_git_repo_url,
      ref: d.git_ref ?? d.git_commit_sha ?? d.git_branch ?? 'main',
      ...(key ? { ssh_private_key: key } : {}),
      policy: await s.projects.gitFetchPolicy(svc.org_id),
    },
    source_type: svc.source_type === 'dockerfile' ? 'dockerfile' : 'auto',
    build_context: svc.build_context ?? '.',
    dockerfile_path: svc.dockerfile_path ?? 'Dockerfile',
    start_command: svc.start_command,
    runtime: svc.runtime,
    base_images: s.baseImages,
    base_sha: baseSha && FULL_SHA.test(baseSha) ? baseSha : null,
    upload_url: `${s.publicUrl}/api/v1/artifacts/uploads/${d.id}`,
    dockerfile_inline: (await s.savedDockerfile?.(svc.id)) ?? null,
  };
}
