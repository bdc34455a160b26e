import { Model, type RelationMappings } from 'objection';
import { OrgMemberModel } from './org-member.model.js';
import { ProjectModel } from './project.model.js';
import { ServerModel } from './server.model.js';
import { UserModel } from './user.model.js';

export class OrganizationModel extends Model {
  static override tableName = 'organizations';
  id!: string;
  name!: string;
  slug!: string;
  owner_id!: string;
  plan!: string;
  stripe_subscription_id!: string | null;
  settings!: { terminal_admins_only?: boolean };
  created_at!: Date;
  updated_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      owner: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'organizations.owner_id', to: 'users.id' } },
      members: { relation: Model.HasManyRelation, modelClass: OrgMemberModel, join: { from: 'organizations.id', to: 'org_members.org_id' } },
      servers: { relation: Model.HasManyRelation, modelClass: ServerModel, join: { from: 'organizations.id', to: 'servers.org_id' } },
      projects: { relation: Model.HasManyRelation, modelClass: ProjectModel, join: { from: 'organizations.id', to: 'projects.org_id' } },
    };
  }
}
