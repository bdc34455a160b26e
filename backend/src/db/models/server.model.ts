import type { ServerStatus } from '@syntra/shared';
import { Model, type RelationMappings } from 'objection';
import { OrganizationModel } from './organization.model.js';
import { ServiceModel } from './service.model.js';

export class ServerModel extends Model {
  static override tableName = 'servers';
  id!: string;
  org_id!: string;
  name!: string;
  hostname!: string | null;
  public_ip!: string | null;
  private_ip!: string | null;
  runtime!: string;
  runtime_version!: string | null;
  status!: ServerStatus;
  agent_version!: string | null;
  agent_token_hash!: string;
  os_name!: string | null;
  os_version!: string | null;
  arch!: string | null;
  cpu_cores!: number | null;
  memory_mb!: number | null;
  disk_gb!: number | null;
  last_heartbeat_at!: Date | null;
  tags!: string[];
  agent_id!: string | null;
  telemetry_acked_seq!: number;
  is_local!: boolean;
  created_at!: Date;
  updated_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      organization: { relation: Model.BelongsToOneRelation, modelClass: OrganizationModel, join: { from: 'servers.org_id', to: 'organizations.id' } },
      services: { relation: Model.HasManyRelation, modelClass: ServiceModel, join: { from: 'servers.id', to: 'services.server_id' } },
    };
  }
}
