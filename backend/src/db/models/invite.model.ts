import { Model, type RelationMappings } from 'objection';
import type { OrgRole } from '@syntra/shared';
import { OrganizationModel } from './organization.model.js';

export class InviteModel extends Model {
  static override tableName = 'invites';
  id!: string;
  org_id!: string;
  email!: string;
  role!: OrgRole;
  token_hash!: string;
  invited_by!: string | null;
  expires_at!: Date;
  accepted_at!: Date | null;
  accepted_by!: string | null;
  created_at!: Date;
  organization?: OrganizationModel;

  static override get relationMappings(): RelationMappings {
    return {
      organization: { relation: Model.BelongsToOneRelation, modelClass: OrganizationModel, join: { from: 'invites.org_id', to: 'organizations.id' } },
    };
  }
}
