// The setup the network and swarm e2e files share: a rig of bare hosts (provisioning installs
// their dockerd), a stack, and one worker that holds the rig's SSH key as a secret and keeps
// its state (each infrastructure's certificates) under the stack's home, where the test reads them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRig, type Rig } from '../rig/rig';
import { startStack, type Stack } from './stack';

export interface RigStack {
  rig: Rig;
  stack: Stack;
  /** The worker's CLOCKER_HOME: infra/<name>/tls/client holds the client certificate for the hosts. */
  home: string;
}

/**
 * `keyEnv`: the variable the worker reads the SSH key from (`CLOCKER_SECRET_<NAME>` for
 * `$secret:<name>`). Workers inherit it and CLOCKER_HOME from this process. If a step fails,
 * what was already started is stopped again.
 */
export async function startRigStack(hosts: number, keyEnv: string): Promise<RigStack> {
  const rig = await createRig({ hosts, docker: false });
  let stack: Stack | undefined;
  try {
    stack = await startStack();
    const home = join(stack.home, 'clocker');
    mkdirSync(home, { recursive: true });
    process.env.CLOCKER_HOME = home;
    process.env[keyEnv] = rig.hosts[0]!.privateKey;
    await stack.startWorker();
    return { rig, stack, home };
  } catch (err) {
    await stack?.stop();
    await rig.teardown();
    throw err;
  }
}
