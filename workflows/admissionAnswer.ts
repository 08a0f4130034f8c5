// The infrastructure's answer to `admission`: a dry run of its scheduler over its hosts as they
// stand, for a whole application at once. A query: it books nothing and issues no command, so
// it may be asked of any running infrastructure (old histories replay unchanged).
import { dryRunPlacement } from '../domain/application/admission';
import type { AdmissionAnswer } from '../domain/application/preflightProblems';
import { infraPolicy } from '../domain/infra/hostPolicy';
import { hostView } from '../domain/infra/hostView';
import type { InfraState } from '../domain/infra/model';
import type { PlaceRequest } from './messages';

export function admissionAnswer(data: InfraState, requests: PlaceRequest[]): AdmissionAnswer {
  if (!Array.isArray(requests)) throw new Error('admission: expected a list of placement requests');
  // A fixed seed: the default rankers are deterministic; a `random` strategy may choose other hosts when it books for real.
  const services = dryRunPlacement(data.hosts.map(hostView), requests, 'admission');
  const chosen = new Set(services.flatMap((s) => (s.ok ? s.hosts : [])));
  const hosts = data.hosts.filter((h) => chosen.has(h.record.id)).map(({ record }) => ({ id: record.id, address: record.address, docker: record.docker }));
  return { services, hosts, hostCount: data.hosts.length, policy: infraPolicy(data) };
}
