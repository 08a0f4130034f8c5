// What the Docker engine would refuse, refused at validate instead (at its place, not at
// deploy on some host): an image reference outside Docker's grammar (a newline, a `;`, upper
// case in the repository), and a NUL character anywhere in a service (env, command, labels…),
// which no process can be given.
import type { Reporter } from '../reporter';
import type { RawService } from '../schema/service';

// Docker's reference grammar (distribution/reference): [domain[:port]/]path[:tag][@digest].
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
export const imageReference = new RegExp(`^(${name})(?::${tag})?(?:@${digest})?$`);
const MAX_NAME = 255;

/** A value quoted for a message: control characters visible, long ones cut. */
function shown(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 80 ? `${json.slice(0, 77)}…"` : json;
}

export function imageProblem(image: string): string | undefined {
  const match = imageReference.exec(image);
  if (match === null) return `${shown(image)} is not an image reference Docker accepts: [registry[:port]/]name[:tag][@sha256:digest], the name in lower case (letters, digits, '.', '_', '-', '/'), no spaces or ';'`;
  if ((match[1] ?? '').length > MAX_NAME) return `the image name is ${(match[1] ?? '').length} characters long; Docker allows ${MAX_NAME}`;
  return undefined;
}

function walk(value: unknown, path: (string | number)[], found: (path: (string | number)[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) found([...path, k]);
      walk(v, [...path, k], found);
    }
  }
}

export function checkDockerRules(raw: RawService, path: (string | number)[], reporter: Reporter): void {
  if (raw.image !== undefined) {
    const problem = imageProblem(raw.image);
    if (problem !== undefined) reporter.error('image.reference', [...path, 'image'], problem);
  }
  walk(raw, path, (at) => reporter.error('text.nul', at, 'contains a NUL character (\\0), which no process can be given: Docker refuses it'));
}
