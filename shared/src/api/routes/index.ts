import { artifactsContracts } from './artifacts.js';
import { auditContracts } from './audit.js';
import { authContracts } from './auth.js';
import { deploymentsContracts } from './deployments.js';
import { domainsContracts } from './domains.js';
import { githubContracts } from './github.js';
import { healthContracts } from './health.js';
import { issuesContracts } from './issues.js';
import { orgsContracts } from './orgs.js';
import { projectsContracts } from './projects.js';
import { serversContracts } from './servers.js';
import { servicesContracts } from './services.js';
import { terminalContracts } from './terminal.js';
import { tokensContracts } from './tokens.js';
import { clientKeysContracts } from './client-keys.js';
import { telemetryContracts } from './telemetry.js';

export { contract, type Contract, type HttpMethod, type RouteContract } from './contract.js';
export { contractPath, type AnyContract, type ContractInput, type ContractOutput, type QueryValue } from './path.js';

/** Every /api/v1 route's contract, named by method and path (`getServersByServerId`). */
export const contracts = {
  ...authContracts,
  ...orgsContracts,
  ...tokensContracts,
  ...auditContracts,
  ...serversContracts,
  ...projectsContracts,
  ...servicesContracts,
  ...domainsContracts,
  ...deploymentsContracts,
  ...healthContracts,
  ...artifactsContracts,
  ...githubContracts,
  ...terminalContracts,
  ...clientKeysContracts,
  ...issuesContracts,
  ...telemetryContracts,
};

export type Contracts = typeof contracts;
