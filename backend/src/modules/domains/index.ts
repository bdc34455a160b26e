export { DomainService } from './domains.service.js';
export { domainRoutes } from './domains.routes.js';
export { dnsTxtResolver, type TxtResolver } from './dns-verifier.js';
