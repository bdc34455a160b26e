/**
 * What never leaves for the model: the service's own env values wherever they appear (a password in
 * a stack trace or a log line), and anything shaped like a credential. Applied to every text the
 * analysis sends, after the context is built.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // Syntra's own tokens (API, agent, sessions) and common provider keys.
  [/\bsyn_[a-z]_[A-Za-z0-9_-]{16,}/g, '[redacted:token]'],
  [/\bsk-(?:ant-|live_|test_)?[A-Za-z0-9_-]{16,}/g, '[redacted:key]'],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}/g, '[redacted:key]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[redacted:aws-key]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/g, '[redacted:github-token]'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, '[redacted:slack-token]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted:jwt]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted:private-key]'],
  // Credentials in URLs and key=value pairs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, '$1[redacted]@'],
  [/\b(authorization|cookie|set-cookie|x-api-key|password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)(["']?\s*[:=]\s*["']?)(?!\[redacted)(?:Bearer\s+|Basic\s+)?[^\s"',;&]{3,}/gi, '$1$2[redacted]'],
];

export class Redactor {
  private readonly values: Array<[string, string]>;

  /** `secrets`: env of the service (key → value); values shorter than 6 characters are too common to replace. */
  constructor(secrets: Record<string, string>) {
    this.values = Object.entries(secrets)
      .filter(([, v]) => v.length >= 6)
      .sort((a, b) => b[1].length - a[1].length)
      .map(([k, v]) => [v, `[redacted:${k}]`]);
  }

  text(input: string): string {
    let out = input;
    for (const [value, label] of this.values) out = out.split(value).join(label);
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
  }
}
