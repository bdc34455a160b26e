import type { Service, ServiceRuntime } from '@syntra/shared';
import { useId } from 'react';

export const RUNTIME_LABEL: Record<ServiceRuntime, string> = { process: 'process runtime', docker: 'docker runtime' };

/** The API refuses `process` for these sources: there is no tarball to run, only an image. */
export function dockerOnly(source: Service['source_type']): boolean {
  return source === 'dockerfile' || source === 'image';
}

/** The runtime a service runs on; `process` is offered only where the source can produce it. */
export function RuntimeSelect({
  value,
  source,
  onChange,
  disabled,
  error,
}: {
  value: ServiceRuntime;
  source: Service['source_type'];
  onChange: (runtime: ServiceRuntime) => void;
  disabled?: boolean;
  error?: string;
}) {
  const locked = dockerOnly(source);
  const id = useId();
  // The hint describes the select rather than labelling it, so the field's name stays "Runtime".
  return (
    <div className="field">
      <label htmlFor={id}>Runtime</label>
      <select id={id} aria-describedby={`${id}-hint`} value={locked ? 'docker' : value} onChange={(e) => onChange(e.target.value as ServiceRuntime)} disabled={disabled}>
        <option value="process" disabled={locked}>
          Process (supervised by the agent)
        </option>
        <option value="docker">Docker container</option>
      </select>
      <small id={`${id}-hint`} className="field-hint">
        {locked ? 'Dockerfile and image services always run in Docker.' : 'Docker builds an image from a generated Dockerfile; the server needs Docker or Podman.'}
      </small>
      {error && <small className="field-error">{error}</small>}
    </div>
  );
}
