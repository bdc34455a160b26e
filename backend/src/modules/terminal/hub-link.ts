import type { AgentHub } from '../agent-hub/index.js';
import type { AgentLink } from './agent-link.js';

/** The terminal relay's view of this node's agent hub. */
export function hubAgentLink(hub: AgentHub): AgentLink {
  return {
    sendFrame(serverId, type, payload) {
      const session = hub.localSession(serverId);
      if (!session) return false;
      session.send(type, payload);
      return true;
    },
    sendBinary(serverId, data) {
      const session = hub.localSession(serverId);
      if (!session) return false;
      session.ws.send(data, { binary: true });
      return true;
    },
  };
}
