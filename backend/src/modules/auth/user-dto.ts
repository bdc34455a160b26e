import type { UserRow } from './auth.tables.js';
import { iso } from '../../lib/iso.js';

export function toUserDto(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    avatar_url: user.avatar_url,
    email_verified: user.email_verified_at !== null,
    created_at: iso(user.created_at),
  };
}
