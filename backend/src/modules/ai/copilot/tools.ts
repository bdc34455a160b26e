import { z } from 'zod';
import { ACTION_TOOL_TABLE } from './action-tools.js';
import { READ_TOOL_TABLE } from './read-tools.js';
import type { ActionTool, CopilotTool } from './tool-types.js';

export type { ActionTool, Asker, CopilotTool, ReadTool } from './tool-types.js';

/**
 * The tools the model may call. Reads run at once through the same services as the console, in the
 * asker's organisation; actions never run here: calling one only records a proposal that the user
 * approves or rejects in the console (ProposalService).
 */
export const COPILOT_TOOLS: readonly CopilotTool[] = [...READ_TOOL_TABLE, ...ACTION_TOOL_TABLE];

export const TOOLS_BY_NAME = new Map(COPILOT_TOOLS.map((t) => [t.name, t]));
export const ACTION_TOOLS = new Map(COPILOT_TOOLS.filter((t): t is ActionTool => t.kind === 'action').map((t) => [t.action, t]));

/** The tools' definitions as the Messages API takes them (JSON Schema from the zod inputs). */
export function toolDefinitions() {
  return COPILOT_TOOLS.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as { type: 'object'; [k: string]: unknown },
  }));
}
