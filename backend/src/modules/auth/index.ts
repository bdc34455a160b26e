export { AuthService, SESSION_PREFIX, API_TOKEN_PREFIX } from './auth.service.js';
export { OAuthService } from './oauth.service.js';
export { configuredProviders } from './oauth-providers.js';
export { LoginLimiter } from './login-limiter.js';
export type { Principal } from './principal.js';
export { toUserDto } from './user-dto.js';
export { authRoutes } from './auth.routes.js';
export { RegisterLimiter } from './register-limiter.js';
export { SignupPolicy } from './signup-policy.js';
