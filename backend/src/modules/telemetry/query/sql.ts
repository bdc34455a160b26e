/**
 * Named query parameters (`{p0:String}`) collected while a statement is assembled: values always
 * travel as parameters, never inside the SQL text, so no filter value can change a statement.
 */
export class Params {
  readonly values: Record<string, unknown> = {};
  private n = 0;

  /** A placeholder for `value` typed `type` (a ClickHouse type: String, Int64, Array(String)…). */
  add(value: unknown, type: string): string {
    const name = `p${(this.n += 1)}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

/** `a AND b AND …` of the non-empty conditions. */
export function and(conditions: readonly string[]): string {
  return conditions.filter(Boolean).map((c) => `(${c})`).join(' AND ') || '1';
}
