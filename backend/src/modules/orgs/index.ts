export { OrgService, toOrgDto, type Actor } from './orgs.service.js';
export { orgRoutes } from './orgs.routes.js';
export type { OrganizationRow, OrgMemberRow, InviteRow, OrgSettings } from './orgs.tables.js';
