/** Objection models of the seed schema; columns keep their snake_case names. */
export { UserModel } from './user.model.js';
export { OrganizationModel } from './organization.model.js';
export { OrgMemberModel } from './org-member.model.js';
export { ServerModel } from './server.model.js';
export { ProjectModel } from './project.model.js';
export { ServiceModel } from './service.model.js';
export { DeploymentModel } from './deployment.model.js';
export { ErrorGroupModel } from './error-group.model.js';
export { ErrorEventModel } from './error-event.model.js';
export { HealthCheckModel } from './health-check.model.js';
export { ApiTokenModel } from './api-token.model.js';
export { SessionModel } from './session.model.js';
export { InviteModel } from './invite.model.js';
export { OAuthAccountModel } from './oauth-account.model.js';
export { AuditEntryModel } from './audit-entry.model.js';
