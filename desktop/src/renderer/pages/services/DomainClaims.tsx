import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Badge, CopyButton, InlineError } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { projectKeys, useDomains } from '../../lib/projects.js';
import { useOrgId } from '../../lib/queries.js';

const STATUS = {
  verified: { tone: 'ok', label: 'ownership verified' },
  pending: { tone: 'warn', label: 'ownership not verified' },
  contending: { tone: 'bad', label: 'held by another organisation: verify to take it over' },
} as const;

/**
 * Ownership of the service's saved domains: each is claimed by this organisation; one not proved
 * yet shows the TXT record that proves it, and a button to look it up now.
 */
export function DomainClaims({ domains }: { domains: string[] }) {
  const orgId = useOrgId();
  const claims = useDomains(domains.length ? orgId : null);
  const canWrite = useCan('services.write');
  const client = useQueryClient();
  const verify = useMutation({
    mutationFn: (id: string) => call(contracts.postDomainsByDomainIdVerify, { params: { domainId: id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: projectKeys.domains(orgId ?? '') }),
  });
  const mine = (claims.data ?? []).filter((c) => domains.includes(c.hostname));
  if (!mine.length) return null;
  return (
    <ul className="stack" data-testid="domain-claims">
      {mine.map((c) => (
        <li key={c.id}>
          <strong>{c.hostname}</strong>{' '}
          <Badge tone={STATUS[c.status].tone}>{STATUS[c.status].label}</Badge>
          {c.status !== 'verified' && (
            <div className="muted small">
              Add a TXT record <code>{c.verification.record_name}</code> with the value{' '}
              <span className="copy-row">
                <code>{c.verification.record_value}</code>
                <CopyButton text={c.verification.record_value} />
              </span>
              {c.last_error && <div>{c.last_error}</div>}
              {canWrite && (
                <button type="button" className="btn btn-small" disabled={verify.isPending} onClick={() => verify.mutate(c.id)}>
                  Verify now
                </button>
              )}
            </div>
          )}
        </li>
      ))}
      <InlineError error={verify.error} />
    </ul>
  );
}
