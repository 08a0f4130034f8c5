// Starts the Temporal CLI dev server (SQLite file, Web UI) as a child process and waits until
// it answers. Used by `clocker up` and by the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributes } from '../../workflows/searchAttributes';
import { stopChild } from '../childProcess';

export interface DevServerOptions {
  binary: string;
  dbFile: string;
  logFile: string;
  ip?: string;
  port: number;
  uiPort: number;
  /** Seconds to wait for the server to answer. */
  startTimeoutSec?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function devServerArgs(o: DevServerOptions): string[] {
  const ip = o.ip ?? '127.0.0.1';
  return [
    'server', 'start-dev',
    '--db-filename', o.dbFile,
    '--ip', ip,
    '--port', String(o.port),
    '--ui-ip', ip,
    '--ui-port', String(o.uiPort),
    '--log-level', 'warn',
    // SQLite's write-ahead log instead of its rollback journal: a commit appends to one file
    // instead of writing, syncing and deleting a journal file each time. `synchronous=normal`
    // syncs at checkpoints: a commit survives the server being killed (the log is in the page
    // cache), and only the last moments before a power loss or kernel crash can be lost, never
    // the file's integrity (https://www.sqlite.org/wal.html).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...Object.values(searchAttributes).flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(o.dbFile), { recursive: true });
  mkdirSync(dirname(o.logFile), { recursive: true });
  const log = openSync(o.logFile, 'a');
  const child = spawn(o.binary, devServerArgs(o), { stdio: ['ignore', log, log] });
  closeSync(log);
  const address = `${o.ip ?? '127.0.0.1'}:${o.port}`;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));

  const deadline = Date.now() + (o.startTimeoutSec ?? 60) * 1000;
  for (;;) {
    if (exited) throw new Error(`Temporal dev server ${exited}; log ${o.logFile}:\n${tail(o.logFile)}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: '1s' });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`Temporal dev server did not answer on ${address} in time: ${String(err)}\n${tail(o.logFile)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    address,
    uiUrl: `http://${o.ip ?? '127.0.0.1'}:${o.uiPort}`,
    process: child,
    stop: () => stopChild(child),
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)'; // the log may not exist if the binary failed to start at all
  }
}
