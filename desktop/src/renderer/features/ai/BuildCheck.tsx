import { contracts, type BuildDetection } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorState, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { DockerfileAssistant } from './DockerfileAssistant.js';
import './ai.css';

export const buildDetectionKey = (serviceId: string) => ['services', 'build-detection', serviceId] as const;

/**
 * The service wizard's last step: what an auto build would find in the repository (read from the
 * git mirror on the service's server). When nothing is detected it offers the AI's Dockerfile,
 * which the user reviews and saves as the service's Dockerfile; otherwise (detected, or not known
 * before the first build fetches the repository) it moves on at once.
 */
export function BuildCheck({ serviceId, onDone }: { serviceId: string; onDone: () => void }) {
  const detection = useQuery({ queryKey: buildDetectionKey(serviceId), queryFn: () => call(contracts.getServicesByServiceIdBuildDetection, { params: { serviceId } }), retry: false });
  const [saved, setSaved] = useState(false);
  const state: BuildDetection['state'] | undefined = detection.data?.state;
  useEffect(() => {
    if (state === 'detected' || state === 'unknown') onDone();
  }, [state, onDone]);
  if (detection.isPending) {
    return (
      <div className="stack" data-testid="build-check" data-state="checking">
        <p className="muted">Checking how Syntra will build it…</p>
        <Skeleton rows={2} />
      </div>
    );
  }
  if (detection.isError) {
    return (
      <div className="stack" data-testid="build-check" data-state="error">
        <ErrorState error={detection.error} retry={() => void detection.refetch()} />
        <button className="btn" onClick={onDone}>
          Open the service
        </button>
      </div>
    );
  }
  if (detection.data.state !== 'undetected') return null;
  return (
    <div className="stack" data-testid="build-check" data-state="undetected">
      <p>
        <strong>Syntra could not tell how to build this repository.</strong> <span className="muted">{detection.data.reason}</span>
      </p>
      <DockerfileAssistant serviceId={serviceId} onSaved={() => setSaved(true)} />
      <div className="row">
        <button className={saved ? 'btn btn-primary' : 'btn'} onClick={onDone}>
          {saved ? 'Open the service' : 'Skip for now'}
        </button>
      </div>
    </div>
  );
}
