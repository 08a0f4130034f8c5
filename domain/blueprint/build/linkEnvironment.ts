// Docker links (Clocker 1.x `links:`) gave a container environment variables describing
// the linked service's ports. Links do not cross hosts, so the same variables are built
// from the attributes the target publishes: `host.address` and `port.<containerPort>`
// (the host port the container port is published on).
import type { PortSpec, Template } from '../model';

export function linkEnvironment(alias: string, service: string, ports: readonly PortSpec[]): Record<string, Template> {
  const prefix = alias.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const address = { kind: 'attribute' as const, service, attribute: 'host.address' };
  const env: Record<string, Template> = {};
  ports.forEach((p, index) => {
    const hostPort = { kind: 'attribute' as const, service, attribute: `port.${p.containerPort}` };
    const url: Template = { parts: [{ kind: 'text', text: `${p.protocol}://` }, address, { kind: 'text', text: ':' }, hostPort] };
    const name = `${prefix}_PORT_${p.containerPort}_${p.protocol.toUpperCase()}`;
    if (index === 0) env[`${prefix}_PORT`] = url;
    env[name] = url;
    env[`${name}_ADDR`] = { parts: [address] };
    env[`${name}_PORT`] = { parts: [hostPort] };
    env[`${name}_PROTO`] = { parts: [{ kind: 'text', text: p.protocol }] };
  });
  return env;
}
