import { iso } from '../../lib/iso.js';
import type { ServiceRow } from './services.repo.js';

export function healthCheckOf(s: ServiceRow) {
  return {
    path: s.health_check_path,
    interval_seconds: s.health_check_interval ?? 30,
    timeout_seconds: s.health_check_timeout ?? 5,
    retries: s.health_check_retries ?? 3,
  };
}

export function toServiceDto(s: ServiceRow) {
  return {
    id: s.id,
    project_id: s.project_id,
    server_id: s.server_id,
    name: s.name,
    source_type: s.source_type,
    runtime: s.runtime,
    git_branch: s.git_branch,
    build_context: s.build_context ?? '.',
    dockerfile_path: s.dockerfile_path ?? 'Dockerfile',
    image_name: s.image_name,
    image_tag: s.image_tag,
    start_command: s.start_command,
    port: s.port,
    replicas: s.replicas ?? 1,
    cpu_limit: s.cpu_limit,
    memory_limit: s.memory_limit,
    domains: s.domains ?? [],
    health_check: healthCheckOf(s),
    auto_deploy: s.auto_deploy ?? true,
    verify: s.verify ?? null,
    current_deployment_id: s.current_deployment_id,
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
  };
}
