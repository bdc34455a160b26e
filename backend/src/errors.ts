import type { ErrorCode } from '@syntra/shared';

/**
 * Domain errors. They know nothing of HTTP: the error middleware maps `code` to a status through
 * the shared table. Anything that is not an AppError is a bug and is reported as INTERNAL_ERROR.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_ERROR', message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this') {
    super('FORBIDDEN', message);
  }
}
export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super('NOT_FOUND', `${what} not found`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many attempts; try again in ${retryAfterSeconds} s`, {
      retry_after_seconds: retryAfterSeconds,
    });
  }
}
export class FeatureDisabledError extends AppError {
  constructor(feature: string, how: string) {
    super('FEATURE_DISABLED', `${feature} is not configured on this installation: ${how}`);
  }
}
export class AgentOfflineError extends AppError {
  constructor() {
    super('AGENT_OFFLINE', "The server's agent is not connected");
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('PAYLOAD_TOO_LARGE', message);
  }
}
/** Registration refused by the installation's sign-up mode (SYNTRA_SIGNUP). */
export class SignupRefusedError extends AppError {
  constructor(code: 'INVITE_REQUIRED' | 'SIGNUP_CLOSED', message: string) {
    super(code, message);
  }
}
