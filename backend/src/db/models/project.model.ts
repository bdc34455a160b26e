import { Model, type RelationMappings } from 'objection';
import { OrganizationModel } from './organization.model.js';
import { ServiceModel } from './service.model.js';

export class ProjectModel extends Model {
  static override tableName = 'projects';
  id!: string;
  org_id!: string;
  name!: string;
  slug!: string;
  description!: string | null;
  git_repo_url!: string | null;
  git_branch!: string | null;
  git_provider!: string | null;
  git_installation_id!: string | null;
  created_at!: Date;
  updated_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      organization: { relation: Model.BelongsToOneRelation, modelClass: OrganizationModel, join: { from: 'projects.org_id', to: 'organizations.id' } },
      services: { relation: Model.HasManyRelation, modelClass: ServiceModel, join: { from: 'projects.id', to: 'services.project_id' } },
    };
  }
}
