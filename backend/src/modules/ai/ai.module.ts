import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { AuditService } from '../audit/index.js';
import { AiRepo } from './ai.repo.js';
import { CopilotService } from './copilot/chat.service.js';
import type { CopilotPorts } from './copilot/ports.js';
import { ProposalService } from './copilot/proposals.service.js';
import { ModelClient } from './model-client.js';
import { AiUsage } from './usage.service.js';
import { DockerfileGenerator } from './dockerfile/dockerfile.service.js';
import { RepoReader, type RepoReaderPorts } from './repo-reader.js';

export interface AiModuleDeps {
  db: Knex;
  config: Config['ai'];
  audit: AuditService;
  ports: CopilotPorts;
  repo: RepoReaderPorts;
  services: ConstructorParameters<typeof DockerfileGenerator>[3];
  log: Logger;
}

/** The AI module's services, built once by services.ts. */
export class AiModule {
  readonly model: ModelClient;
  readonly usage: AiUsage;
  readonly proposals: ProposalService;
  readonly copilot: CopilotService;
  readonly repoReader: RepoReader;
  readonly dockerfiles: DockerfileGenerator;

  constructor(deps: AiModuleDeps) {
    const repo = new AiRepo(deps.db);
    this.model = new ModelClient(deps.config);
    this.usage = new AiUsage(repo, deps.config.monthlyTokens);
    this.proposals = new ProposalService(repo, deps.ports, deps.audit);
    this.copilot = new CopilotService(repo, this.model, this.usage, deps.ports, this.proposals, deps.log);
    this.repoReader = new RepoReader(deps.repo);
    this.dockerfiles = new DockerfileGenerator(this.model, this.usage, this.repoReader, deps.services);
  }
}
