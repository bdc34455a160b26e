import { Model, type RelationMappings } from 'objection';
import { UserModel } from './user.model.js';

export class OAuthAccountModel extends Model {
  static override tableName = 'oauth_accounts';
  provider!: string;
  provider_user_id!: string;
  user_id!: string;
  email!: string | null;
  created_at!: Date;
  static override get idColumn() {
    return ['provider', 'provider_user_id'];
  }

  static override get relationMappings(): RelationMappings {
    return {
      user: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'oauth_accounts.user_id', to: 'users.id' } },
    };
  }
}
