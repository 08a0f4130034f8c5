// A loopback proxy in front of a test registry that holds the blobs a test names until it
// lets them go. The engine's pull through it is a real pull (manifest, config, layers over
// HTTP from the registry); it only stays under way for as long as the test needs to look at
// it, so what a user sees during a pull can be checked without a timing assumption.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatedRegistry {
  /** `127.0.0.1:port`: image references through the proxy start with it. */
  address: string;
  /** Blob requests (GET or HEAD) for these digests wait until `release`. */
  hold(digests: readonly string[]): void;
  release(): void;
  /** Digests of held blobs the engine has asked for so far. */
  asked: Set<string>;
  stop(): Promise<void>;
}

export async function startGatedRegistry(upstream: string): Promise<GatedRegistry> {
  const [upstreamHost, upstreamPort] = upstream.split(':') as [string, string];
  const held = new Set<string>();
  const asked = new Set<string>();
  let open!: () => void;
  let released = new Promise<void>((r) => (open = r));

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request({ host: upstreamHost, port: Number(upstreamPort), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const digest = /\/blobs\/(sha256:[0-9a-f]{64})/.exec(req.url ?? '')?.[1];
    if (digest && held.has(digest)) {
      asked.add(digest);
      void released.then(() => forward(req, res));
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    hold(digests) {
      for (const d of digests) held.add(d);
      released = new Promise<void>((r) => (open = r));
    },
    release() {
      held.clear();
      open();
    },
    asked,
    async stop() {
      open();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The layer digests of `repo:tag` in the registry, base layer first (schema 2 manifest). */
export async function layerDigests(registry: string, repo: string, tag: string): Promise<string[]> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  if (!res.ok) throw new Error(`manifest of ${repo}:${tag} from ${registry}: HTTP ${res.status} ${await res.text()}`);
  const manifest = (await res.json()) as { layers?: { digest: string }[] };
  if (!manifest.layers) throw new Error(`manifest of ${repo}:${tag} lists no layers: ${JSON.stringify(manifest)}`);
  return manifest.layers.map((l) => l.digest);
}
