// A private Docker registry for the rig (Debian's docker-registry), listening on the rig
// bridge's address so every rig host reaches it; plain HTTP, so hosts list it as insecure.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stopChild } from '../../client/childProcess';
import { waitUntil } from './waitUntil';

export interface RigRegistry {
  /** `host:port`, as image references and `insecure-registries` name it. */
  address: string;
  stop(): Promise<void>;
}

export async function startRegistry(listenIp: string, dir: string, port = 5000): Promise<RigRegistry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, 'http:', `  addr: ${listenIp}:${port}`, ''].join('\n'),
  );
  const logFile = join(dir, 'registry.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  closeSync(log);
  const open = () =>
    new Promise<boolean>((resolve) => {
      const s = connect({ host: listenIp, port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  await waitUntil(`docker-registry on ${listenIp}:${port}`, 20_000, open, logFile);
  return { address: `${listenIp}:${port}`, stop: () => stopChild(child) };
}
