export { DomainService, type HostnameHolders } from './domains.service.js';
export { domainRoutes } from './domains.routes.js';
export { dnsTxtResolver, type TxtResolver } from './dns-verifier.js';
