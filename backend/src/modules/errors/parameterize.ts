/**
 * Replaces the variable parts of a message with placeholders, so "Order 1234 failed" and "Order
 * 987 failed" group together (Sentry's message parameterization). Order matters: the specific
 * patterns (emails, URLs, uuids, IPs, dates, hex) run before the generic ones (quoted strings, numbers).
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '<url>'],
  [/\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<ip>'],
  // IPv6: eight groups, or shortened with "::" (so clock times like 12:30:45 are not taken).
  [/(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:)*:(?:[0-9a-f]{1,4}:)*[0-9a-f]{1,4})(?![\w:])/gi, '<ip>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<date>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hashes and ids: hex runs of 8+ characters that contain a digit (not plain words like "deadbeef"… nearly).
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>'],
  [/'(?:[^'\\\n]|\\.){0,200}'|"(?:[^"\\\n]|\\.){0,200}"|`(?:[^`\\\n]|\\.){0,200}`/g, '<quoted>'],
  [/(?<![\w<])[-+]?\d+\.\d+(?![\w>])/g, '<float>'],
  [/(?<![\w<])[-+]?\d+(?![\w>])/g, '<int>'],
];

export function parameterize(message: string): string {
  let out = message;
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  return out;
}
