import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const AI_ANALYSIS_QUEUE = 'syntra-ai-analysis';

/** Ids only: the context is built by the worker, never stored in Redis (BullMQ keeps job data in clear). */
export interface AnalysisJobData {
  org_id: string;
  issue_id: string;
  user_id: string | null;
  requested_at: string;
  trigger: 'manual' | 'auto';
}

export class AnalysisQueue {
  private queue: Queue<AnalysisJobData> | null = null;

  constructor(private readonly redis: Redis) {}

  private get q() {
    this.queue ??= new Queue<AnalysisJobData>(AI_ANALYSIS_QUEUE, {
      connection: this.redis,
      // One attempt: a failed analysis is stored as failed and asked for again by a person.
      defaultJobOptions: { attempts: 1, removeOnComplete: 500, removeOnFail: 500 },
    });
    return this.queue;
  }

  async enqueue(data: AnalysisJobData) {
    // One job per request (an issue analysed again gets a new one).
    await this.q.add('analyze', data, { jobId: `${data.issue_id}-${Date.parse(data.requested_at)}` });
  }

  async close() {
    await this.queue?.close();
  }
}
