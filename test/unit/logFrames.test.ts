import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demuxLogs } from '../../activities/docker/logFrames';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('stdout and stderr frames are joined in order', () => {
  assert.equal(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')])), 'out\nerr\nmore');
});

test('unframed (TTY) output is returned as text', () => {
  assert.equal(demuxLogs(Buffer.from('plain text from a tty\n')), 'plain text from a tty\n');
});

test('empty logs are empty', () => {
  assert.equal(demuxLogs(Buffer.alloc(0)), '');
});
