// The codec endpoint the Temporal Web UI (and `temporal workflow show --codec-endpoint`) calls
// to show decoded payloads to an operator who holds the keyring: POST /decode and POST
// /encode, each `{"payloads":[{"metadata":{k: base64}, "data": base64}]}` in and out, the
// JSON form of Temporal's Payload. It listens on loopback by default: anyone who can reach it
// can read every payload, so put it only where the operators are (or behind their proxy).
// CORS answers only the origins given (the Web UI's), with the headers the UI sends.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  port: number;
  host?: string;
  /** Origins allowed to call it from a browser, e.g. the Web UI's http://127.0.0.1:8233. */
  corsOrigins: string[];
  /** When set, requests must carry `Authorization: Bearer <token>` (the UI can pass its own). */
  token?: string;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_BODY = 64 * 1024 * 1024;

export function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

export function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

export function startCodecServer(options: CodecServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : String(err));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}

async function handle(options: CodecServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  if (origin && options.corsOrigins.includes(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-allow-headers', 'content-type,x-namespace,authorization');
    res.setHeader('access-control-allow-methods', 'POST,OPTIONS');
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(origin && options.corsOrigins.includes(origin) ? 204 : 403).end();
    return;
  }
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || (path !== '/decode' && path !== '/encode')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /decode or /encode');
    return;
  }
  if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
    res.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong Authorization bearer token');
    return;
  }
  const body = JSON.parse(await readBody(req)) as { payloads?: JsonPayload[] };
  if (!Array.isArray(body.payloads)) throw new Error('expected {"payloads": [...]}');
  const payloads = body.payloads.map(fromJson);
  const out = path === '/decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: out.map(toJson) }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
