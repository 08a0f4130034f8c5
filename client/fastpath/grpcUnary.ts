// One unary gRPC call over Node's own HTTP/2 (plaintext): the request framed as gRPC frames it
// (a flag byte, a 4-byte length, the message), the answer's status from its trailers.
// https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
import { connect, type ClientHttp2Session } from 'node:http2';

export class GrpcCallError extends Error {
  constructor(
    readonly method: string,
    /** gRPC status code: 5 NOT_FOUND, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, … */
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method}: gRPC status ${code}${details ? `: ${details}` : ''}`);
    this.name = 'GrpcCallError';
  }
}

export const GRPC_NOT_FOUND = 5;
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_CANCELLED = 1;

export function openSession(address: string, timeoutMs: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`cannot reach Temporal at ${address}: no answer within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    session.once('connect', () => {
      clearTimeout(timer);
      resolve(session);
    });
    session.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach Temporal at ${address}: ${err.message}`));
    });
  });
}

export function frame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** The first message of a gRPC response body. */
export function unframe(body: Buffer): Uint8Array {
  if (body.length < 5) return new Uint8Array();
  if (body.readUInt8(0) !== 0) throw new Error('gRPC: compressed response not expected');
  return body.subarray(5, 5 + body.readUInt32BE(1));
}

export function unaryCall(session: ClientHttp2Session, service: string, method: string, message: Uint8Array, timeoutMs: number, headers: Record<string, string> = {}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': `/${service}/${method}`,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': `${Math.ceil(timeoutMs)}m`,
      ...headers,
    });
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let details = '';
    const note = (h: Record<string, unknown>) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) details = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', note); // a trailers-only answer (an error) carries its status here
    stream.on('trailers', note);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('error', reject);
    stream.once('end', () => {
      if (status === undefined) return reject(new GrpcCallError(method, 2, 'no grpc-status in the answer'));
      if (status !== '0') return reject(new GrpcCallError(method, Number(status), details));
      try {
        resolve(unframe(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
    stream.end(frame(message));
  });
}
