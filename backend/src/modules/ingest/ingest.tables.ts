import type { Table } from '../../db/table.js';
import type { StoredAttachment } from './ports.js';

/** An acknowledged item waiting for the workers (deleted once handed on). */
export interface IngestQueueRow {
  id: number;
  /** `span`: a span v2 container (`ReceivedSpans`). */
  kind: 'event' | 'transaction' | 'span';
  service_id: string;
  org_id: string;
  project_id: string;
  key_id: string;
  event_id: string;
  received_at: Date;
  client_ip: string | null;
  /** The item's JSON text as the SDK sent it (decompressed). */
  payload: string;
  attachments: StoredAttachment[] | null;
  attempts: number;
  dead_at: Date | null;
}

/** An attachment sent with an event (size-limited at intake); `id` is the StoredAttachment's storageKey. */
export interface IngestAttachmentRow {
  id: string;
  service_id: string;
  event_id: string;
  filename: string;
  content_type: string | null;
  attachment_type: string | null;
  size: number;
  data: Buffer;
  created_at: Date;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    ingest_queue: Table<IngestQueueRow, 'kind' | 'service_id' | 'org_id' | 'project_id' | 'key_id' | 'event_id' | 'received_at' | 'payload', 'attachments'>;
    ingest_attachments: Table<IngestAttachmentRow, 'service_id' | 'event_id' | 'filename' | 'size' | 'data'>;
  }
}
