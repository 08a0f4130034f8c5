// `encrypted: true` on an overlay network: Docker then keys IPsec ESP between every pair of
// hosts (AES-GCM, rfc4106). Where a kernel lacks ESP or that cipher, Docker only logs "Failed
// Adding SA … function not implemented" and the network drops every packet between hosts, so the
// kernel of every live host is asked first, and an encrypted network is refused with the reason
// instead of made silent.
//
// The question is the one Docker will ask: add an ESP state with its algorithm, in a network
// namespace of its own (`unshare --net`) so nothing is left on the host.
import type { Client } from '@temporalio/client';
import type { HostAccess } from '../../domain/infra/hostAccess';
import { workflowIds } from '../../domain/naming';
import { hostAccessQuery } from '../../workflows/hostAccessQuery';
import { describeEndpoint } from '../docker/dockerClient';
import { KernelFeatureMissingError, UnsupportedFeatureError } from '../errors';
import type { SecretStore } from '../secrets/secretStore';
import type { HostCommand } from '../ssh/hostCommand';
import { hostShellFor } from './hostShell';

/** Docker's overlay SA algorithm (libnetwork's encryption.go): AES-GCM with a 64-bit ICV. */
export const ESP_AEAD = 'rfc4106(gcm(aes))';

/** Adds one throwaway ESP state in a fresh network namespace; exit 0 means the kernel can. */
export function espProbeCommand(): HostCommand {
  return {
    argv: [
      'unshare', '--net',
      'ip', 'xfrm', 'state', 'add', 'src', '192.0.2.1', 'dst', '192.0.2.2', 'proto', 'esp', 'spi', '0x100', 'mode', 'transport',
      // 16 key bytes and the 4-byte salt, as Docker hands them; their value does not matter here.
      'aead', ESP_AEAD, `0x${'11'.repeat(20)}`, '64',
    ],
    okExitCodes: [0, 1, 2, 255],
    timeoutMs: 20_000,
  };
}

/** Why a host cannot carry an encrypted overlay, from the probe's exit and stderr; undefined: it can. */
export function espVerdict(exitCode: number | null, stderr: string): string | undefined {
  if (exitCode === 0) return undefined;
  const said = stderr.trim().split('\n').pop() ?? '';
  if (/type not found/i.test(said)) return `its kernel has no IPsec ESP (CONFIG_INET_ESP); \`ip xfrm\` said: ${said}`;
  if (/algorithm not found/i.test(said)) return `its kernel lacks the cipher Docker uses, ${ESP_AEAD} (CONFIG_CRYPTO_GCM); \`ip xfrm\` said: ${said}`;
  return `the IPsec check \`unshare --net ip xfrm state add … aead ${ESP_AEAD}\` exited ${exitCode}: ${said || '(no message)'}`;
}

export interface EncryptionCheck {
  infrastructure: string;
  /** The encrypted networks, for the message. */
  networks: string[];
}

const live = (h: HostAccess) => h.status === 'AVAILABLE' || h.status === 'DRAINING';

export function overlayEncryptionActivities(temporal: Client, secrets: SecretStore) {
  return {
    /** Throws (not retryable) naming each live host that cannot, and why; returns the hosts checked. */
    async checkOverlayEncryption(req: EncryptionCheck): Promise<string[]> {
      const hosts = (await temporal.workflow.getHandle(workflowIds.infrastructure(req.infrastructure)).query(hostAccessQuery)).filter(live);
      const verdicts = await Promise.all(
        hosts.map(async (h) => {
          const shell = hostShellFor(h, secrets);
          if (!shell) return `${h.id}: Clocker reaches it only through its Docker API (${describeEndpoint(h.docker)}), so it cannot ask its kernel for IPsec ESP`;
          const r = await shell(espProbeCommand());
          const why = espVerdict(r.exitCode, r.stderr);
          return why === undefined ? undefined : `${h.id}: ${why}`;
        }),
      );
      const refusals = verdicts.filter((v): v is string => v !== undefined);
      const nets = req.networks.join(', ');
      if (refusals.some((r) => r.includes('only through its Docker API'))) {
        throw new UnsupportedFeatureError(`encrypted overlay network ${nets}: ${refusals.join('; ')}. Drop \`encrypted: true\` or use byon hosts reached over SSH`);
      }
      if (refusals.length > 0) {
        throw new KernelFeatureMissingError(
          `encrypted overlay network ${nets} cannot work on infrastructure ${req.infrastructure}: host ${refusals.join('; host ')}. Docker would make the network and then drop every packet between hosts. Remove \`encrypted: true\` from the network (traffic then crosses hosts as plain VXLAN), or use hosts whose kernel has IPsec ESP and AES-GCM`,
        );
      }
      return hosts.map((h) => h.id);
    },
  };
}
