/** An API answer with `success: false`; carries the request id the user can quote to an admin. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The control plane could not be reached at all (offline, DNS, refused). */
export class NetworkError extends Error {}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Field errors from a VALIDATION_ERROR (`details.issues[].path` like "email" or "settings.x"), keyed by first segment. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiRequestError) || err.code !== 'VALIDATION_ERROR') return {};
  const issues = (err.details as { issues?: { path?: string; message: string }[] } | undefined)?.issues ?? [];
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = (issue.path ?? '').split('.')[0] ?? '';
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}
