import type { Redis } from 'ioredis';
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
import { BuildDetector } from './dockerfile/build-detection.js';
import { DockerfileGenerator } from './dockerfile/dockerfile.service.js';
import { RepoReader, type RepoReaderPorts } from './repo-reader.js';
import { AnalysisQueue } from './analysis/analysis-queue.js';
import { AnalysisService } from './analysis/analysis.service.js';
import type { AnalysisPorts } from './analysis/ports.js';
import { AiSettingsService } from './settings.service.js';

export interface AiModuleDeps {
  db: Knex;
  redis: Redis;
  config: Config['ai'];
  audit: AuditService;
  ports: CopilotPorts;
  repo: RepoReaderPorts;
  analysis: AnalysisPorts;
  services: ConstructorParameters<typeof DockerfileGenerator>[3] & ConstructorParameters<typeof BuildDetector>[1];
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
  readonly buildDetection: BuildDetector;
  readonly analysisQueue: AnalysisQueue;
  readonly analysis: AnalysisService;
  readonly settings: AiSettingsService;

  constructor(deps: AiModuleDeps) {
    const repo = new AiRepo(deps.db);
    this.model = new ModelClient(deps.config);
    this.usage = new AiUsage(repo, deps.config.monthlyTokens);
    this.proposals = new ProposalService(repo, deps.ports, deps.audit);
    this.copilot = new CopilotService(repo, this.model, this.usage, deps.ports, this.proposals, deps.log);
    this.repoReader = new RepoReader(deps.repo);
    this.dockerfiles = new DockerfileGenerator(this.model, this.usage, this.repoReader, deps.services, repo, deps.audit);
    this.buildDetection = new BuildDetector(this.repoReader, deps.services, (serviceId) => this.dockerfiles.saved(serviceId));
    this.analysisQueue = new AnalysisQueue(deps.redis);
    this.analysis = new AnalysisService(this.model, this.usage, deps.analysis, this.repoReader, this.analysisQueue, deps.log);
    this.settings = new AiSettingsService(repo, this.usage, this.model, deps.audit);
  }
}
