// Docker multiplexes a non-TTY container's stdout and stderr into frames:
// [stream(1) 0 0 0 size(4, big-endian)] payload. This reads them back into text.

export function demuxLogs(buf: Buffer): string {
  const parts: string[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const stream = buf[at];
    const size = buf.readUInt32BE(at + 4);
    if (stream === undefined || stream > 2 || buf[at + 1] !== 0) return buf.toString('utf8'); // not framed (TTY)
    parts.push(buf.subarray(at + 8, at + 8 + size).toString('utf8'));
    at += 8 + size;
  }
  return parts.join('');
}
