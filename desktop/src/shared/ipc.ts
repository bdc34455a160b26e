// The leaf entry, not '@syntra/shared': this file is bundled into the sandboxed preload.
import { DeploymentStatusSchema, OAuthProviderSchema, ServerStatusSchema } from '@syntra/shared/contract-values';
import { z } from 'zod';

/**
 * Every IPC channel between the renderer and main, defined once with its request and response schema.
 * The preload sends `request` payloads; main validates them before any handler runs.
 */
export interface Channel<Req extends z.ZodType, Res extends z.ZodType> {
  name: string;
  request: Req;
  response: Res;
}

function channel<Req extends z.ZodType, Res extends z.ZodType>(name: string, request: Req, response: Res): Channel<Req, Res> {
  return { name, request, response };
}

const HttpUrlSchema = z
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//.test(u), 'http or https only');
const AccountIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

export const AccountSchema = z.object({
  id: AccountIdSchema,
  base_url: HttpUrlSchema,
  email: z.string().max(254),
  name: z.string().max(100).nullable(),
});
export type Account = z.infer<typeof AccountSchema>;

export const AccountsStateSchema = z.object({ accounts: z.array(AccountSchema), active_id: AccountIdSchema.nullable() });
export type AccountsState = z.infer<typeof AccountsStateSchema>;

export const ActiveSessionSchema = z.object({ account: AccountSchema, token: z.string() }).nullable();
export type ActiveSession = z.infer<typeof ActiveSessionSchema>;

/** What the renderer knows live (from the REST API and `/api/v1/stream`); main derives tray and notifications from it. */
export const LiveSnapshotSchema = z.object({
  connected: z.boolean(),
  servers: z.array(z.object({ id: z.string().max(64), name: z.string().max(200), status: ServerStatusSchema })).max(10_000),
  deployments: z
    .array(
      z.object({
        id: z.string().max(64),
        service_name: z.string().max(200),
        status: DeploymentStatusSchema,
        path: z.string().max(300).optional(),
      }),
    )
    .max(500),
  /**
   * Issues that appeared or regressed while the console was open (from the stream's `issue.created` /
   * `issue.regressed`), newest last; `key` is unique per occurrence, so a second regression is new again.
   */
  issues: z
    .array(
      z.object({
        key: z.string().max(120),
        kind: z.enum(['created', 'regressed']),
        title: z.string().max(300),
        environment: z.string().max(100).nullable(),
        path: z.string().max(300),
      }),
    )
    .max(100)
    .optional(),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshotSchema>;

const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const NotificationRulesSchema = z.object({
  server_offline: z.boolean(),
  server_online: z.boolean(),
  deployment_failed: z.boolean(),
  deployment_succeeded: z.boolean(),
  // Added with error tracking: rules saved before it read as on.
  issue_new: z.boolean().default(true),
  issue_regressed: z.boolean().default(true),
  quiet_hours: z.object({ enabled: z.boolean(), start: TimeOfDaySchema, end: TimeOfDaySchema }),
});
export type NotificationRules = z.infer<typeof NotificationRulesSchema>;

export const DEFAULT_NOTIFICATION_RULES: NotificationRules = {
  server_offline: true,
  server_online: true,
  deployment_failed: true,
  deployment_succeeded: false,
  issue_new: true,
  issue_regressed: true,
  quiet_hours: { enabled: false, start: '22:00', end: '07:00' },
};

/** The query cache is persisted as an opaque JSON string, capped so a runaway cache cannot fill the disk. */
export const MAX_CACHE_BYTES = 20 * 1024 * 1024;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const IPC = {
  accountsList: channel('accounts.list', Empty, AccountsStateSchema),
  accountsSwitch: channel('accounts.switch', z.object({ account_id: AccountIdSchema }).strict(), AccountsStateSchema),
  sessionGet: channel('session.get', Empty, ActiveSessionSchema),
  sessionSave: channel(
    'session.save',
    z
      .object({
        base_url: HttpUrlSchema,
        token: z.string().min(10).max(500),
        email: z.string().max(254),
        name: z.string().max(100).nullable(),
        /** The control plane's device proof from a password sign-in (kept across sign-outs, see deviceProofGet). */
        device_token: z.string().min(10).max(400).optional(),
      })
      .strict(),
    AccountsStateSchema,
  ),
  /** The device proof this app holds for (control plane, email): sent as X-Syntra-Device at sign-in so others' failed attempts cannot lock it out. */
  deviceProofGet: channel(
    'session.device_proof',
    z.object({ base_url: HttpUrlSchema, email: z.string().max(254) }).strict(),
    z.object({ device_token: z.string().nullable() }),
  ),
  sessionClear: channel('session.clear', z.object({ account_id: AccountIdSchema }).strict(), AccountsStateSchema),
  oauthSignIn: channel(
    'oauth.sign_in',
    z.object({ base_url: HttpUrlSchema, provider: OAuthProviderSchema }).strict(),
    AccountsStateSchema,
  ),
  cacheLoad: channel('cache.load', z.object({ account_id: AccountIdSchema }).strict(), z.object({ data: z.string().nullable(), saved_at: z.string().nullable() })),
  cacheSave: channel('cache.save', z.object({ account_id: AccountIdSchema, data: z.string().max(MAX_CACHE_BYTES) }).strict(), Ok),
  liveSnapshot: channel('live.snapshot', LiveSnapshotSchema.strict(), Ok),
  rulesGet: channel('notifications.rules_get', Empty, NotificationRulesSchema),
  rulesSet: channel('notifications.rules_set', NotificationRulesSchema.strict(), NotificationRulesSchema),
  openExternal: channel('shell.open_external', z.object({ url: HttpUrlSchema }).strict(), Ok),
} as const;

export type IpcChannels = typeof IPC;
export type IpcKey = keyof IpcChannels;
export type IpcRequest<K extends IpcKey> = z.input<IpcChannels[K]['request']>;
export type IpcResponse<K extends IpcKey> = z.output<IpcChannels[K]['response']>;

/** Main → renderer: open a page (a notification or tray item was clicked). */
export const NAVIGATE_EVENT = 'app.navigate';
export const NavigateSchema = z.object({ path: z.string().regex(/^\/[A-Za-z0-9/_\-?=&.%]*$/).max(300) });

/** Errors cross IPC as data: Electron strips the class of anything thrown through `invoke`. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
