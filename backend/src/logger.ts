import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks wherever they appear in a log object. Secrets must never reach a log line. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'agent_token',
  '*.token',
  '*.password',
  '*.agent_token',
  '*.secret',
  '*.client_secret',
  'body.password',
  'body.token',
  'headers.cookie',
  'cookie',
  'device_token',
  'invite_token',
  'ticket',
  'code_verifier',
  '*.device_token',
  '*.invite_token',
  '*.ticket',
  '*.code_verifier',
  '*.cookie',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'syntra' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
