import type { Table } from '../../db/table.js';

/** The projects module's table: a git repository and its settings, grouping services. */
export interface ProjectRow {
  id: string;
  org_id: string;
  name: string;
  slug: string;
  description: string | null;
  git_repo_url: string | null;
  git_branch: string | null;
  git_provider: string | null;
  git_installation_id: string | null;
  git_deploy_key_encrypted: string | null;
  /** This project's own webhook secret, sealed; null: the installation's GITHUB_WEBHOOK_SECRET applies. */
  webhook_secret_encrypted: string | null;
  created_at: Date;
  updated_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    projects: Table<ProjectRow, never>;
  }
}
