import { Model, type RelationMappings } from 'objection';
import type { OrgRole } from '@syntra/shared';
import { OrganizationModel } from './organization.model.js';
import { UserModel } from './user.model.js';

export class OrgMemberModel extends Model {
  static override tableName = 'org_members';
  org_id!: string;
  user_id!: string;
  role!: OrgRole;
  invited_by!: string | null;
  invited_at!: Date | null;
  accepted_at!: Date | null;
  user?: UserModel;
  static override get idColumn() {
    return ['org_id', 'user_id'];
  }

  static override get relationMappings(): RelationMappings {
    return {
      organization: { relation: Model.BelongsToOneRelation, modelClass: OrganizationModel, join: { from: 'org_members.org_id', to: 'organizations.id' } },
      user: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'org_members.user_id', to: 'users.id' } },
    };
  }
}
