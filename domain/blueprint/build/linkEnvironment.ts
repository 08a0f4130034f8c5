// Docker links (Clocker 1.x `links:`) gave a container environment variables describing the
// linked container: its address and its CONTAINER ports (`REDIS_PORT_6379_TCP=tcp://ip:6379`).
// The same variables are built from what the target publishes: its address on the network the
// two services share (`ip.<network>`), which works from inside a container. Without a shared
// network (a blueprint that puts them apart) they fall back to where the port is published on
// the host (`host.address` and `port.<containerPort>`).
import type { PortSpec, Template, TemplatePart } from '../model';

export function linkEnvironment(alias: string, service: string, ports: readonly PortSpec[], network?: string): Record<string, Template> {
  const prefix = alias.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const address: TemplatePart = { kind: 'attribute', service, attribute: network ? `ip.${network}` : 'host.address' };
  const env: Record<string, Template> = {};
  ports.forEach((p, index) => {
    const port: TemplatePart = network
      ? { kind: 'text', text: String(p.containerPort) }
      : { kind: 'attribute', service, attribute: `port.${p.containerPort}` };
    const url: Template = { parts: [{ kind: 'text', text: `${p.protocol}://` }, address, { kind: 'text', text: ':' }, port] };
    const name = `${prefix}_PORT_${p.containerPort}_${p.protocol.toUpperCase()}`;
    if (index === 0) env[`${prefix}_PORT`] = url;
    env[name] = url;
    env[`${name}_ADDR`] = { parts: [address] };
    env[`${name}_PORT`] = { parts: [port] };
    env[`${name}_PROTO`] = { parts: [{ kind: 'text', text: p.protocol }] };
  });
  return env;
}
