// The protobuf wire format, as much as `clocker status` needs to speak to Temporal's frontend
// without loading the SDK (whose generated descriptors alone take longer to load than the
// whole answer takes to arrive): varints and length-delimited fields, written and read.
// https://protobuf.dev/programming-guides/encoding/

/** One field of a message as read: varints as numbers (exact to 2^53), the rest as bytes. */
export type WireField = { field: number; wire: 0; value: number } | { field: number; wire: 2; value: Uint8Array } | { field: number; wire: 1 | 5; value: Uint8Array };

export class ProtoWriter {
  private readonly chunks: number[] = [];

  varint(n: number): this {
    let v = n;
    while (v > 0x7f) {
      this.chunks.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.chunks.push(v);
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  uint(field: number, n: number): this {
    return n === 0 ? this : this.tag(field, 0).varint(n);
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return s === '' ? this : this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > buf.length) throw new Error('protobuf: truncated field');
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 2) fields.push({ field, wire, value: take(varint()) });
    else if (wire === 1) fields.push({ field, wire, value: take(8) });
    else if (wire === 5) fields.push({ field, wire, value: take(4) });
    else throw new Error(`protobuf: wire type ${wire} (groups) not expected`);
  }
  return fields;
}

/** The bytes of every occurrence of a length-delimited field (repeated fields, map entries). */
export function allBytes(fields: readonly WireField[], field: number): Uint8Array[] {
  return fields.flatMap((f) => (f.field === field && f.wire === 2 ? [f.value] : []));
}

/** The last occurrence wins, as protobuf says for a non-repeated field. */
export function lastBytes(fields: readonly WireField[], field: number): Uint8Array | undefined {
  return allBytes(fields, field).at(-1);
}

export function lastString(fields: readonly WireField[], field: number): string {
  const b = lastBytes(fields, field);
  return b ? new TextDecoder().decode(b) : '';
}

export function lastVarint(fields: readonly WireField[], field: number): number {
  let v = 0;
  for (const f of fields) if (f.field === field && f.wire === 0) v = f.value;
  return v;
}
