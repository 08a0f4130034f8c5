// What a Clocker 1.x location blueprint (a Docker cloud, a Docker host, a byon catalog
// location) becomes here: an infrastructure, made by `clocker infra create FILE`, not an
// application. The message lists the hosts the blueprint holds and prints the infra file
// (examples/infra/byon.yaml's shape) they make, ready to paste.
import type { ByonHosts } from './byonHosts';
import { slug } from './plainData';

export const defaultInfraName = 'my-docker-cloud';

/** A name `clocker infra create` accepts, made from whatever the blueprint called its cloud. */
export function infraName(candidates: unknown[]): string {
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const name = slug(c).replace(/^[-_]+/, '');
    if (name !== '') return name;
  }
  return defaultInfraName;
}

function yamlScalar(text: string): string {
  const plain = /^[\w./~@$-][\w./~@$:-]*$/.test(text) && !/^(-?\d+(\.\d+)?|true|false|null|~)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

/** The infra file for these hosts, indented for a diagnostic. */
export function infraFileText(name: string, byon: ByonHosts): string {
  const lines = [`name: ${name}`, 'location:', '  byon:'];
  if (byon.user !== undefined) lines.push(`    user: ${yamlScalar(byon.user)}`);
  if (byon.key !== undefined) lines.push(`    key: ${yamlScalar(byon.key)}`);
  else lines.push(`    key: $secret:${name}-ssh-key${byon.password ? '   # passwords are not carried over: give a key' : ''}`);
  lines.push('    hosts:');
  const hosts = byon.hosts.length > 0 ? byon.hosts : [{ address: 'ADDRESS' }];
  hosts.forEach((h, i) => {
    const fields = [`id: h${i + 1}`, `address: ${yamlScalar(h.address)}`];
    if (h.user !== undefined && h.user !== byon.user) fields.push(`user: ${yamlScalar(h.user)}`);
    if (h.port !== undefined) fields.push(`port: ${h.port}`);
    lines.push(`      - { ${fields.join(', ')} }`);
  });
  return lines.map((l) => `    ${l}`).join('\n');
}

/**
 * "<what> is an infrastructure here, not an application: …" with the hosts and the infra file.
 * `hosts` undefined: the blueprint names no machines (a cloud or this machine).
 */
export function infraPointer(what: string, name: string, byon: ByonHosts | undefined): string {
  const use = `then deploy applications with "location: ${name}"`;
  const hosts = byon === undefined || byon.hosts.length === 0
    ? 'it lists no hosts: put your machines under hosts'
    : `its hosts: ${byon.hosts.map((h) => h.address).join(', ')}`;
  return `${what} is an infrastructure here, not an application: write an infra file and run "clocker infra create FILE", ${use}; ${hosts}. The infra file:\n${infraFileText(name, byon ?? { hosts: [], password: false })}`;
}
