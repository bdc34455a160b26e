export { OrgService, toOrgDto, type Actor } from './orgs.service.js';
export { orgRoutes } from './orgs.routes.js';
