import { Model, type RelationMappings } from 'objection';
import { ApiTokenModel } from './api-token.model.js';
import { OrgMemberModel } from './org-member.model.js';
import { OrganizationModel } from './organization.model.js';

export class UserModel extends Model {
  static override tableName = 'users';
  id!: string;
  email!: string;
  name!: string | null;
  avatar_url!: string | null;
  password_hash!: string | null;
  plan!: string;
  stripe_customer_id!: string | null;
  email_verified_at!: Date | null;
  created_at!: Date;
  updated_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      memberships: { relation: Model.HasManyRelation, modelClass: OrgMemberModel, join: { from: 'users.id', to: 'org_members.user_id' } },
      organizations: {
        relation: Model.ManyToManyRelation,
        modelClass: OrganizationModel,
        join: { from: 'users.id', through: { from: 'org_members.user_id', to: 'org_members.org_id', extra: ['role'] }, to: 'organizations.id' },
      },
      apiTokens: { relation: Model.HasManyRelation, modelClass: ApiTokenModel, join: { from: 'users.id', to: 'api_tokens.user_id' } },
    };
  }
}
