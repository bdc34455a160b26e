import { Model, type RelationMappings } from 'objection';
import { UserModel } from './user.model.js';

export class SessionModel extends Model {
  static override tableName = 'sessions';
  id!: string;
  user_id!: string;
  token_hash!: string;
  ip!: string | null;
  user_agent!: string | null;
  created_at!: Date;
  last_used_at!: Date | null;
  expires_at!: Date;
  revoked_at!: Date | null;

  static override get relationMappings(): RelationMappings {
    return {
      user: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'sessions.user_id', to: 'users.id' } },
    };
  }
}
