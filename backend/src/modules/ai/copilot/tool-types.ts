import type { z } from 'zod';
import type { AiAction, EffectivePermissions, Permission } from '@syntra/shared';
import type { Actor } from '../../orgs/index.js';
import type { CopilotPorts } from './ports.js';

// A co-pilot tool's shape; the tables are read-tools.ts and action-tools.ts, the registry tools.ts.

export interface Asker {
  orgId: string;
  userId: string;
  /** The asking user's role narrowed by their token's scopes, as for any route. */
  permissions: EffectivePermissions;
}

interface ToolBase<S extends z.ZodType> {
  name: string;
  description: string;
  input: S;
  /** What the asking user must hold for the tool to run (a read) or be proposed (an action). */
  permission: Permission;
}

export interface ReadTool<S extends z.ZodType = z.ZodType> extends ToolBase<S> {
  kind: 'read';
  run(ports: CopilotPorts, asker: Asker, input: z.infer<S>): Promise<unknown>;
}

export interface ActionTool<S extends z.ZodType = z.ZodType> extends ToolBase<S> {
  kind: 'action';
  action: AiAction;
  /** Checks the target exists in the asker's organisation and says in one line what approving will do. */
  describe(ports: CopilotPorts, asker: Asker, input: z.infer<S>): Promise<string>;
  /** The console button's code path, as the approving user; what it gives is the proposal's result. */
  execute(ports: CopilotPorts, who: { orgId: string; actor: Actor }, input: z.infer<S>): Promise<Record<string, unknown>>;
}

export type CopilotTool = ReadTool | ActionTool;

export const read = <S extends z.ZodType>(t: Omit<ReadTool<S>, 'kind'>): ReadTool => ({ kind: 'read', ...t }) as unknown as ReadTool;
export const action = <S extends z.ZodType>(t: Omit<ActionTool<S>, 'kind'>): ActionTool => ({ kind: 'action', ...t }) as unknown as ActionTool;

