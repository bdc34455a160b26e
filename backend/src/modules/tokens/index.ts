export { TokenService } from './tokens.service.js';
export { tokenRoutes } from './tokens.routes.js';
