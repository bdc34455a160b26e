/** PostgreSQL's unique_violation (SQLSTATE 23505), as knex throws it: a service turns it into the ConflictError the user sees. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
