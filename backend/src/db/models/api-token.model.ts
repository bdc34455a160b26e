import { Model, type RelationMappings } from 'objection';
import type { TokenScope } from '@syntra/shared';
import { UserModel } from './user.model.js';

export class ApiTokenModel extends Model {
  static override tableName = 'api_tokens';
  id!: string;
  user_id!: string;
  org_id!: string | null;
  name!: string;
  token_hash!: string;
  token_prefix!: string;
  scopes!: TokenScope[];
  last_used_at!: Date | null;
  expires_at!: Date | null;
  /** The token that minted this one (revoking it revokes this); null when minted by a session. */
  parent_id!: string | null;
  created_at!: Date;

  static override get relationMappings(): RelationMappings {
    return {
      user: { relation: Model.BelongsToOneRelation, modelClass: UserModel, join: { from: 'api_tokens.user_id', to: 'users.id' } },
    };
  }
}
