import { describe, expect, it } from 'vitest';
import { combinePorts } from './frame-handlers.js';

describe('the agent hub ports', () => {
  const pending = { pendingDeployments: async () => [], pendingBuilds: async () => [] };

  it('refuses to be built without what hello_ack needs (no silent "nothing to run")', () => {
    expect(() => combinePorts({ frames: {} })).toThrow(/pending deployments and builds/);
  });

  it("puts the modules' frames and telemetry sinks together, the later part winning a frame type", () => {
    const first = () => undefined;
    const second = () => undefined;
    const sink = async () => undefined;
    const ports = combinePorts(pending, { frames: { deploy_status: first, log_stream: first } }, { frames: { deploy_status: second }, telemetry: { health_check: sink } });
    expect(ports.frames.deploy_status).toBe(second);
    expect(ports.frames.log_stream).toBe(first);
    expect(ports.telemetry.health_check).toBe(sink);
    expect(ports.binary).toBeNull();
  });
});
