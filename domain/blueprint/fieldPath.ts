// A field path inside a blueprint document, e.g. ['services', 1, 'ports', 0], and its
// readable form `services[1].ports[0]` used in diagnostics.

export type FieldPath = readonly (string | number)[];

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function pathText(path: FieldPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (plainKey.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/** A stable map key for a path (keys may contain dots, so the readable form is ambiguous). */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}
