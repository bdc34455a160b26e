import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { trimmedText } from './strings.js';

/** What the co-pilot may be asked in one message (the model's context is bounded elsewhere). */
export const AI_MESSAGE_MAX = 8000;

export const AiChatBodySchema = z.object({
  conversation_id: IdSchema.optional(),
  message: trimmedText(AI_MESSAGE_MAX).pipe(z.string().min(1, 'a question')),
});
export type AiChatBody = z.infer<typeof AiChatBodySchema>;

/** Actions the co-pilot can only propose; a person approves each one. */
export const AI_ACTIONS = ['deploy', 'rollback', 'run_command', 'restart_service', 'create_alert_rule'] as const;
export const AiActionSchema = z.enum(AI_ACTIONS);
export type AiAction = z.infer<typeof AiActionSchema>;

export const AI_PROPOSAL_STATUSES = ['pending', 'approved', 'rejected', 'failed'] as const;
export const AiProposalStatusSchema = z.enum(AI_PROPOSAL_STATUSES);

export const AiProposalSchema = z.object({
  id: IdSchema,
  conversation_id: IdSchema,
  action: AiActionSchema,
  /** The action's arguments as the model proposed them (ids, a git ref, a command name). */
  args: z.record(z.string(), z.unknown()),
  /** One line for the approval card: what will happen, on what. */
  summary: z.string(),
  status: AiProposalStatusSchema,
  /** What running it gave (a deployment id, a command id) or why it failed. */
  result: z.record(z.string(), z.unknown()).nullable(),
  created_at: TimestampSchema,
  decided_at: TimestampSchema.nullable(),
});
export type AiProposal = z.infer<typeof AiProposalSchema>;

/** A content block of a stored message, as the console renders it. */
export const AiBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('tool_result'), tool_use_id: z.string(), content: z.string(), is_error: z.boolean().optional() }),
]);
export type AiBlock = z.infer<typeof AiBlockSchema>;

export const AiMessageSchema = z.object({
  id: IdSchema,
  role: z.enum(['user', 'assistant']),
  blocks: z.array(AiBlockSchema),
  created_at: TimestampSchema,
});
export type AiMessage = z.infer<typeof AiMessageSchema>;

export const AiConversationSchema = z.object({
  id: IdSchema,
  title: z.string(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type AiConversation = z.infer<typeof AiConversationSchema>;

export const AiConversationDetailSchema = AiConversationSchema.extend({
  messages: z.array(AiMessageSchema),
  proposals: z.array(AiProposalSchema),
});
export type AiConversationDetail = z.infer<typeof AiConversationDetailSchema>;

/**
 * The chat's server-sent events (`event: <type>`, `data: <json>`), in order: `conversation` once,
 * then any of `text` / `tool` / `proposal`, then `done` or `error`.
 */
export const AiChatEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation'), conversation_id: IdSchema }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool'), id: z.string(), name: z.string(), input: z.unknown(), output: z.string(), is_error: z.boolean() }),
  z.object({ type: z.literal('proposal'), proposal: AiProposalSchema }),
  z.object({ type: z.literal('done'), message_id: IdSchema, usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }) }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type AiChatEvent = z.infer<typeof AiChatEventSchema>;

export const GenerateDockerfileBodySchema = z.object({ service_id: IdSchema });
export const GeneratedDockerfileSchema = z.object({
  dockerfile: z.string(),
  dockerignore: z.string(),
  explanation: z.string(),
  model: z.string(),
  /** The files the model was shown (paths only). */
  files_seen: z.array(z.string()),
});
export type GeneratedDockerfile = z.infer<typeof GeneratedDockerfileSchema>;

// ---- error analysis (seed 5.3) ----

export const AI_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const AI_EVIDENCE_KINDS = ['stack_frame', 'breadcrumb', 'tag', 'request', 'deploy', 'commit', 'diff', 'log', 'similar_issue', 'other'] as const;

export const AiEvidenceSchema = z.object({
  kind: z.enum(AI_EVIDENCE_KINDS),
  /** What it is (`src/cart.js:42 in applyDiscount`, `commit 1a2b3c4`). */
  label: z.string().min(1).max(300),
  /** Why it matters for this issue. */
  detail: z.string().max(1500),
});
export type AiEvidence = z.infer<typeof AiEvidenceSchema>;

/** One part of the context the model was given, as it was sent (after redaction): "what the AI saw". */
export const AiContextSectionSchema = z.object({ title: z.string(), body: z.string() });

/**
 * An issue's `ai_analysis` (stored on the issue, returned by GET /issues/:issueId): `pending` while
 * the job runs, then `done` with the seed's fields, or `failed` with why.
 */
export const AiAnalysisSchema = z.object({
  status: z.enum(['pending', 'done', 'failed']),
  requested_at: TimestampSchema,
  root_cause: z.string().nullable(),
  why_now: z.string().nullable(),
  suggested_fix: z.string().nullable(),
  severity: z.enum(AI_SEVERITIES).nullable(),
  affected_scope: z.string().nullable(),
  analyzed_at: TimestampSchema.nullable(),
  model: z.string().nullable(),
  evidence: z.array(AiEvidenceSchema),
  context: z.array(AiContextSectionSchema),
  error: z.string().nullable(),
  /** `manual` (someone asked) or `auto` (a new high-volume issue, opt-in per organisation). */
  trigger: z.enum(['manual', 'auto']),
});
export type AiAnalysis = z.infer<typeof AiAnalysisSchema>;

export const AnalyzeErrorBodySchema = z.object({ issue_id: IdSchema, force_refresh: z.boolean().optional() });
export const AnalyzeErrorAcceptedSchema = z.object({ issue_id: IdSchema, analysis: AiAnalysisSchema });

/** An organisation's AI settings: the monthly token budget and automatic analysis of new high-volume issues. */
export const AiSettingsSchema = z.object({
  monthly_token_budget: z.number().int().min(0),
  used_tokens_this_month: z.number().int(),
  auto_analyze: z.boolean(),
  /** Events a new issue (first seen in the last 24 h) needs before it is analysed automatically. */
  auto_analyze_min_events: z.number().int(),
  model: z.string(),
});
export const AiSettingsPatchSchema = z
  .object({ monthly_token_budget: z.number().int().min(0).max(2_000_000_000).nullable().optional(), auto_analyze: z.boolean().optional() })
  .strict()
  .refine((p) => p.monthly_token_budget !== undefined || p.auto_analyze !== undefined, 'nothing to change: give monthly_token_budget or auto_analyze');

/** A service's saved Dockerfile (generated, reviewed, saved): its builds use it instead of detection. */
export const SavedDockerfileBodySchema = z.object({
  dockerfile: z.string().min(1).max(20_000).refine((d) => !d.includes('\u0000'), 'must not contain NUL characters (U+0000)'),
  dockerignore: z.string().max(5_000).refine((d) => !d.includes('\u0000'), 'must not contain NUL characters (U+0000)').default(''),
});
export const SavedDockerfileSchema = z.object({ dockerfile: z.string(), dockerignore: z.string(), saved_at: TimestampSchema, saved_by: IdSchema.nullable() });
export type SavedDockerfile = z.infer<typeof SavedDockerfileSchema>;

/**
 * `GET /services/:serviceId/build-detection`: what an `auto` build would find in the repository (read
 * from the git mirror on the service's server, by the builder's rules), so the service wizard can
 * offer a generated Dockerfile before a build fails. `unknown` when the mirror cannot be read yet
 * (no build has fetched it, the agent is offline): the first build then detects.
 */
export const BUILD_DETECTION_KINDS = ['node', 'procfile', 'static', 'dockerfile', 'saved_dockerfile', 'image'] as const;
export const BuildDetectionSchema = z.object({
  state: z.enum(['detected', 'undetected', 'unknown']),
  kind: z.enum(BUILD_DETECTION_KINDS).nullable(),
  /** One line for the wizard: what was found, what was looked for, or why it could not look. */
  reason: z.string(),
  /** The commit that was read. */
  sha: z.string().nullable(),
});
export type BuildDetection = z.infer<typeof BuildDetectionSchema>;
