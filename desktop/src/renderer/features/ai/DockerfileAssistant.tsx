import { contracts } from '@syntra/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { InlineError } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { isAiOff } from './ai-queries.js';
import { AiOffNotice } from './AiOffNotice.js';

/** The builder's message when it finds nothing it knows how to build (agent/src/build/detect.ts). */
export const DETECTION_FAILED = /Could not detect how to build this source/;

/**
 * Offered where detection failed: the model reads the repository's tree and manifests (from the git
 * mirror on the service's server) and proposes a Dockerfile; the user reviews, edits and saves it as
 * the service's Dockerfile, which the next builds use.
 */
export function DockerfileAssistant({ serviceId, onSaved }: { serviceId: string; onSaved?: () => void }) {
  const canWrite = useCan('services.write');
  const [dockerfile, setDockerfile] = useState('');
  const [dockerignore, setDockerignore] = useState('');
  const generate = useMutation({
    mutationFn: () => call(contracts.postAiGenerateDockerfile, { body: { service_id: serviceId } }),
    onSuccess: (g) => {
      setDockerfile(g.dockerfile);
      setDockerignore(g.dockerignore);
    },
  });
  const save = useMutation({
    mutationFn: () => call(contracts.putServicesByServiceIdDockerfile, { params: { serviceId }, body: { dockerfile, dockerignore } }),
    onSuccess: () => onSaved?.(),
  });
  if (!canWrite) return null;
  if (isAiOff(generate.error)) return <AiOffNotice />;
  return (
    <section className="card" data-testid="dockerfile-assistant">
      <div className="card-head">
        <h2>Build it from a Dockerfile</h2>
      </div>
      {!generate.data && (
        <>
          <p className="muted">Syntra found no Node app, Procfile or static site here. The AI can read the repository's file tree and manifests and write a Dockerfile for you to review.</p>
          <button className="btn btn-primary" disabled={generate.isPending} onClick={() => generate.mutate()}>
            {generate.isPending ? 'Reading the repository…' : 'Generate a Dockerfile with AI'}
          </button>
        </>
      )}
      {generate.data && (
        <div className="stack">
          <p>{generate.data.explanation}</p>
          <p className="muted small">From {generate.data.files_seen.join(', ') || 'the file tree'} · {generate.data.model}</p>
          <label className="field">
            <span>Dockerfile</span>
            <textarea className="mono" rows={14} value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} />
          </label>
          <label className="field">
            <span>.dockerignore</span>
            <textarea className="mono" rows={5} value={dockerignore} onChange={(e) => setDockerignore(e.target.value)} />
          </label>
          <div className="row">
            <button className="btn btn-primary" disabled={save.isPending || !dockerfile.trim()} onClick={() => save.mutate()}>
              Save as the service's Dockerfile
            </button>
            {save.isSuccess && <span className="ok small">Saved: the next deploy builds it.</span>}
          </div>
        </div>
      )}
      <InlineError error={generate.error ?? save.error} />
    </section>
  );
}
