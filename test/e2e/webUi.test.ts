// e2e-group: beside
// The Temporal Web UI as Clocker's console (issue #15), with a real dev server and its UI, a
// real worker and the local Docker engine: an application deployed here shows, in Debian's
// chromium driven by playwright-core, its summary in the workflow list and its summary and
// current details (services, members) on its page; a screenshot of each page is kept under
// test-artifacts/. The same worker serves Prometheus metrics on a loopback port: after the
// deploy they hold Clocker's counters next to the SDK's. Own app name and free ports: runs
// beside the other local-engine files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createDockerClientFactory, localDockerEndpoint } from '../../activities/docker/dockerClient';
import { workflowIds } from '../../domain/naming';
import { waitUntil } from '../rig/waitUntil';
import { missingComponent } from '../support/components';
import { httpGet, removeAppLeftovers } from '../support/dockerChecks';
import { freePort } from '../support/ports';
import { blueprint, serviceSpec } from '../support/specs';
import { startLocalStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CLOCKER_CHROMIUM ?? '/usr/bin/chromium';
const APP = `webui${process.pid}`;

/** Like the other components: missing fails under CI, skips with the reason elsewhere. */
function missing(): string | undefined {
  const problem = missingComponent('temporal', 'docker') ?? (existsSync(CHROMIUM) ? undefined : `no ${CHROMIUM} (Debian's chromium package)`);
  if (problem && process.env.CI === 'true') throw new Error(`webUi.test.ts needs: ${problem}`);
  return problem;
}

const HTTPD = ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www'];
const shop = blueprint(APP, [
  serviceSpec({ id: 'cache', image: 'clocker/busybox:1', count: 1, command: ['sleep', '3600'] }),
  serviceSpec({ id: 'web', image: 'clocker/busybox:1', count: 2, command: HTTPD, ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }], dependsOn: ['cache'] }),
]);

describe('the Web UI shows what Clocker runs', { skip: missing() }, () => {
  const docker = createDockerClientFactory()(localDockerEndpoint());
  let stack: Stack;
  let browser: Browser;
  let metricsUrl: string;

  before(async () => {
    // The worker the stack starts inherits this: its Prometheus endpoint on a free loopback port.
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    process.env.CLOCKER_METRICS_ADDRESS = metricsAddress;
    metricsUrl = `http://${metricsAddress}/metrics`;
    stack = await startLocalStack(docker);
    delete process.env.CLOCKER_METRICS_ADDRESS;
    await stack.clocker.deploy(shop);
    await waitUntil(`${APP} running`, 120_000, async () => (await stack.clocker.status(APP)).status === 'RUNNING');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (stack) {
      await stack.clocker.destroy(APP, 60_000).catch((err: unknown) => console.error(`destroy ${APP}: ${String(err)}`));
      await stack.stop();
    }
    await removeAppLeftovers(docker, APP);
  });

  test('the members serve (what the pages below describe is real)', async () => {
    const web = (await stack.clocker.status(APP)).services.find((s) => s.id === 'web')!;
    for (const m of web.members) {
      const port = m.ports.find((p) => p.containerPort === 8080)?.boundHostPort;
      assert.ok(port, `member ${m.member} publishes 8080`);
      assert.ok((await httpGet(`http://${m.hostAddress}:${port}/`)).ok, `member ${m.member} answers`);
    }
  });

  test("the application's summary is in the list, and its page shows summary and current details", async () => {
    const id = workflowIds.application(APP);
    const description = await stack.clocker.temporal.workflow.getHandle(id).describe();
    const summary = `application ${APP}: 2 services on infrastructure local`;
    assert.equal(await description.staticSummary(), summary);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    try {
      const ui = stack.server.uiUrl;
      // The list, filtered as the README says (its first load may come before the UI server is ready: loaded again until the row shows).
      const list = `${ui}/namespaces/default/workflows?query=${encodeURIComponent(`ClockerApp="${APP}" AND ClockerKind="application"`)}`;
      const row = page.getByRole('link', { name: id }).first();
      try {
        await waitUntil('the application in the Web UI list', 60_000, async () => {
          await page.goto(list);
          return row.waitFor({ timeout: 5_000 }).then(() => true, () => false);
        });
      } finally {
        await page.screenshot({ path: join(ARTIFACTS, 'webUi-list.png'), fullPage: true });
      }
      await row.click();
      // Its page, User Metadata tab: the summary and details given at start, the activities'
      // summaries, and the current details the workflow keeps (markdown, rendered in frames).
      await page.getByText('User Metadata', { exact: true }).first().click();
      const shown = async () => (await Promise.all(page.frames().map((f) => f.locator('body').innerText().catch(() => '')))).join('\n');
      let text = '';
      try {
        await waitUntil('summary, details, activity summaries and current details in the Web UI', 60_000, async () => {
          text = await shown();
          return text.includes(summary) && text.includes(`application ${APP} on infrastructure local`) && text.includes('dry-run placement of 2 services');
        });
      } finally {
        await page.screenshot({ path: join(ARTIFACTS, 'webUi-application.png'), fullPage: true });
      }
      assert.match(text, /Application webui\d+ on infrastructure local/, 'the static details');
      assert.match(text, /RUNNING · application/, 'the current status line');
      assert.match(text, /web\s+RUNNING\s+2 of 2/, 'the services table: 2 of 2 web members run');
      assert.match(text, /cache\s+RUNNING\s+1 of 1/);
    } finally {
      await page.close();
    }
  });

  test("the worker's Prometheus endpoint holds Clocker's counters and the SDK's metrics", async () => {
    const body = (await httpGet(metricsUrl)).body;
    const line = (re: RegExp) => body.split('\n').find((l) => re.test(l));
    assert.ok(line(/^\w*clocker_deployments\w*\{[^}]*app="[^"]*"[^}]*\} 1$/) && line(new RegExp(`clocker_deployments\\w*\\{[^}]*app="${APP}"`)), `a deployment of ${APP} counted:\n${body.slice(0, 2000)}`);
    assert.ok(line(new RegExp(`clocker_members\\w*\\{[^}]*app="${APP}"[^}]*service="web"[^}]*state="RUNNING"[^}]*\\} 2$`)), 'the gauge of web members RUNNING says 2');
    assert.ok(line(new RegExp(`clocker_members\\w*\\{[^}]*service="web"[^}]*state="FAILED"[^}]*\\} 0$`)), 'states with no member are 0');
    assert.ok(line(/^temporal_\w+/), "the SDK's own metrics are there too");
  });
});
