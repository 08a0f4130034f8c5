import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devServerArgs } from '../../client/temporal/devServer';

test('the dev server keeps its state in the SQLite file, listens on loopback and knows our search attributes', () => {
  assert.deepEqual(devServerArgs({ binary: 'temporal', dbFile: '/s/temporal.db', logFile: '/s/t.log', port: 7233, uiPort: 8233 }), [
    'server', 'start-dev',
    '--db-filename', '/s/temporal.db',
    '--ip', '127.0.0.1',
    '--port', '7233',
    '--ui-ip', '127.0.0.1',
    '--ui-port', '8233',
    '--log-level', 'warn',
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    '--search-attribute', 'ClockerKind=Keyword',
    '--search-attribute', 'ClockerApp=Keyword',
    '--search-attribute', 'ClockerService=Keyword',
    '--search-attribute', 'ClockerInfra=Keyword',
    '--search-attribute', 'ClockerStatus=Keyword',
  ]);
});
