// A blueprint against its infrastructure's host policy (domain/infra/hostPolicy.ts): every bind
// mount, `privileged`, `capAdd` and `pid` a policy does not allow, at its field path, naming the
// infra-file setting that would allow it. Pure: the preflight runs it on the policy the
// admission dry run answers, and the container activity runs it again before it creates.
import type { Blueprint, ServiceSpec } from '../blueprint/model';
import { APP_DATA_ROOT, DOCKER_SOCKETS, isInside, normalHostPath, type HostPolicy } from '../infra/hostPolicy';
import type { PreflightProblem } from './preflightProblems';

/** Where the blueprint came from, as far as binds care. */
export interface BindOrigin {
  app: string;
  location: string;
  /** The blueprint file's folder (absolute), when the client knew it. */
  folder?: string;
}

function bindProblem(source: string, readOnly: boolean, fromFile: boolean, policy: HostPolicy, origin: BindOrigin): string | undefined {
  const path = normalHostPath(source);
  const allow = `policy.binds: [{ path: ${path}${readOnly ? '' : ', readOnly: false'} }] in infrastructure "${origin.location}"'s file`;
  const named = policy.binds.filter((r) => normalHostPath(r.path) === path && (readOnly || !r.readOnly));
  // The host's root and the Docker socket give away the host: only a rule naming them exactly.
  if (path === '/' || DOCKER_SOCKETS.includes(path)) {
    if (named.length > 0) return undefined;
    const what = path === '/' ? "the host's whole file system" : "the host's Docker engine (root on the host)";
    return `binding ${path} gives the container ${what}; allowed only when the infrastructure's policy names it exactly: ${allow}`;
  }
  if (isInside(path, `${APP_DATA_ROOT}/${origin.app}`)) return undefined;
  if (policy.blueprintFolder && (fromFile || (origin.folder !== undefined && isInside(path, origin.folder)))) return undefined;
  const rules = policy.binds.filter((r) => isInside(path, r.path));
  if (rules.some((r) => readOnly || !r.readOnly)) return undefined;
  if (rules.length > 0) return `host path ${path} may be bound read-only only (policy rule ${rules[0]?.path}); add ":ro" or allow writing: ${allow}`;
  return `host path ${path} is outside what infrastructure "${origin.location}" lets blueprints bind (${APP_DATA_ROOT}/${origin.app}/${policy.blueprintFolder ? " or the blueprint's folder" : ''}); allow it with ${allow}, or use a named volume`;
}

export function serviceHostProblems(s: ServiceSpec, index: number, policy: HostPolicy, origin: BindOrigin): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const infra = `infrastructure "${origin.location}"'s file`;
  s.volumes.forEach((v, j) => {
    if (v.type !== 'bind') return;
    const message = bindProblem(v.source, v.readOnly, v.fromFile === true, policy, origin);
    if (message !== undefined) problems.push({ code: 'policy.bind', path: ['services', index, 'volumes', j], message });
  });
  if (s.privileged === true && !policy.privileged) {
    problems.push({ code: 'policy.privileged', path: ['services', index, 'privileged'], message: `a privileged container is root on its host; allowed only with policy.privileged: true in ${infra}` });
  }
  (s.capAdd ?? []).forEach((cap, j) => {
    if (policy.capAdd.includes('ALL') || policy.capAdd.includes(cap)) return;
    problems.push({ code: 'policy.capAdd', path: ['services', index, 'capAdd', j], message: `capability ${cap} reaches into the host; allowed only with policy.capAdd: [${cap}] in ${infra}` });
  });
  if (s.pid === 'host' && !policy.hostPid) {
    problems.push({ code: 'policy.hostPid', path: ['services', index, 'pid'], message: `pid: host shows the container every process of its host; allowed only with policy.hostPid: true in ${infra}` });
  }
  return problems;
}

export function hostPolicyProblems(blueprint: Blueprint, policy: HostPolicy): PreflightProblem[] {
  const origin: BindOrigin = { app: blueprint.name, location: blueprint.location, ...(blueprint.source.folder !== undefined && { folder: blueprint.source.folder }) };
  return blueprint.services.flatMap((s, i) => serviceHostProblems(s, i, policy, origin));
}
