import type { ArtifactKind } from '@syntra/shared';
import type { Table } from '../../db/table.js';

/** The artifacts module's table: built tarballs and images, by digest. */
export interface ArtifactRow {
  id: string;
  org_id: string;
  service_id: string;
  deployment_id?: string | null;
  kind: ArtifactKind;
  storage_key: string | null;
  image_ref: string | null;
  digest: string;
  size_bytes: string | number;
  start_command: string | null;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    artifacts: Table<ArtifactRow, never>;
  }
}
