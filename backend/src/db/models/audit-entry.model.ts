import { Model, type RelationMappings } from 'objection';
import { OrganizationModel } from './organization.model.js';
import { UserModel } from './user.model.js';

export class AuditEntryModel extends Model {
  static override tableName = 'audit_log';
  id!: string;
  org_id!: string | null;
  actor_id!: string | null;
  action!: string;
  target_type!: string | null;
  target_id!: string | null;
  ip!: string | null;
  user_agent!: string | null;
  metadata!: Record<string, unknown>;
  created_at!: Date;
  actor?: UserModel;

  static override get relationMappings(): RelationMappings {
    return {
      actor: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'audit_log.actor_id', to: 'users.id' } },
      organization: { relation: Model.BelongsToOneRelation, modelClass: OrganizationModel, join: { from: 'audit_log.org_id', to: 'organizations.id' } },
    };
  }
}
