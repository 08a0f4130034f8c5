// Placement through the infrastructure workflow on a real Temporal dev server: Updates per
// second when each Update places a batch of 100 members, beside the naive way measured in
// the same run (one Update per member). Both go one at a time (a service awaiting its
// placement) and with several in flight (many services deploying at once). Then member
// addresses: a placement of 30 taking its addresses in one allocateAddresses Update and giving
// them back in one releaseAddresses, beside one Update per address with 8 in flight (what the
// activities did before, and still do against an infrastructure worker without those handlers).
// Run: node --import tsx bench/workflow.bench.ts   (~40 s; starts and stops its own server)
import { Worker } from '@temporalio/worker';
import type { HostRecord } from '../domain/infra/model';
import { workflowIds } from '../domain/naming';
import { startTestEnv, workflowBundle } from '../test/support/temporalEnv';
import { printResult, type ResultRow } from './support/benchResult';
import type { infrastructure } from '../workflows/infrastructure';
import {
  allocateAddressesUpdate,
  allocateAddressUpdate,
  allocateSubnetUpdate,
  infraStatusQuery,
  placeContainersUpdate,
  releaseAddressesUpdate,
  releaseAddressUpdate,
  type PlaceRequest,
} from '../workflows/messages';

const TASK_QUEUE = 'workflow-bench';
const HOSTS = 100;
const BATCH = 100;
/** Batched updates per run (5,000 members), and single-member updates for the naive run. */
const BATCHED_UPDATES = Number(process.env.BATCHED_UPDATES ?? 50);
const SINGLE_UPDATES = Number(process.env.SINGLE_UPDATES ?? 500);
const IN_FLIGHT = 8;
/** Members per placement, and placements per side, for the address rows. */
const PLACEMENT = 30;
const ADDRESS_ROUNDS = Number(process.env.ADDRESS_ROUNDS ?? 20);

function hosts(): HostRecord[] {
  return Array.from({ length: HOSTS }, (_, i) => ({
    id: `h${String(i).padStart(3, '0')}`,
    address: `198.51.100.${i + 1}`,
    docker: { kind: 'tcp' as const, host: `h${i}`, port: 2375 },
    status: 'AVAILABLE' as const,
    labels: { disk: i % 2 === 0 ? 'ssd' : 'hdd' },
    maxContainers: 500,
    cpus: 64,
    memoryBytes: 256 * 1024 ** 3,
    zone: `z${i % 3}`,
  }));
}

const request = (service: string, members: string[]): PlaceRequest => ({
  app: 'bench',
  service,
  members,
  resources: { cpus: 0.1, memoryBytes: 64 * 1024 ** 2 },
  constraints: { predicate: 'cpus >= 8', maxPerHost: 1000 },
  strategy: ['breadth-first', 'least-memory'],
});

/** Runs `count` jobs with at most `inFlight` at once; returns elapsed milliseconds. */
async function timed(count: number, inFlight: number, job: (i: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return performance.now() - start;
}

async function main(): Promise<void> {
  const env = await startTestEnv();
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: await workflowBundle() });
  const running = worker.run();
  let infraCount = 0;
  const freshInfrastructure = async () => {
    const name = `bench${infraCount++}`;
    const handle = await env.client.workflow.start<typeof infrastructure>('infrastructure', {
      taskQueue: TASK_QUEUE,
      workflowId: workflowIds.infrastructure(name),
      args: [{ name, hosts: hosts() }],
    });
    await handle.query(infraStatusQuery); // the first workflow task has run
    return handle;
  };
  const place = async (handle: Awaited<ReturnType<typeof freshInfrastructure>>, req: PlaceRequest) => {
    const result = await handle.executeUpdate(placeContainersUpdate, { args: [req] });
    if (!result.ok) throw new Error(result.reason);
  };
  const batchJob = (handle: Awaited<ReturnType<typeof freshInfrastructure>>) => (i: number) =>
    place(handle, request(`s${i}`, Array.from({ length: BATCH }, (_, m) => `m${m}`)));
  const singleJob = (handle: Awaited<ReturnType<typeof freshInfrastructure>>) => (i: number) => place(handle, request(`s${i % 50}`, [`m${i}`]));

  try {
    await timed(5, 1, batchJob(await freshInfrastructure())); // warm up worker, bundle and server
    const rows: { name: string; updates: number; members: number; ms: number }[] = [];
    for (const inFlight of [1, IN_FLIGHT]) {
      const batched = await timed(BATCHED_UPDATES, inFlight, batchJob(await freshInfrastructure()));
      rows.push({ name: `batch of ${BATCH}, ${inFlight} in flight`, updates: BATCHED_UPDATES, members: BATCHED_UPDATES * BATCH, ms: batched });
      const single = await timed(SINGLE_UPDATES, inFlight, singleJob(await freshInfrastructure()));
      rows.push({ name: `naive: 1 member/update, ${inFlight} in flight`, updates: SINGLE_UPDATES, members: SINGLE_UPDATES, ms: single });
    }
    console.log(`placement through the infrastructure workflow: ${HOSTS} hosts, predicate + maxPerHost, breadth-first then least-memory`);
    const rate = (n: number, ms: number) => (n / ms) * 1000;
    const resultRows: ResultRow[] = [];
    for (let i = 0; i < rows.length; i += 2) {
      const [batched, naive] = [rows[i]!, rows[i + 1]!];
      for (const r of [batched, naive]) {
        console.log(
          `  ${r.name.padEnd(36)}${rate(r.updates, r.ms).toFixed(0).padStart(6)} updates/s ${rate(r.members, r.ms).toFixed(0).padStart(8)} placements/s  (${r.ms.toFixed(0)} ms for ${r.updates} updates)`,
        );
      }
      console.log(`  => batching places ${(rate(batched.members, batched.ms) / rate(naive.members, naive.ms)).toFixed(1)}x more members per second`);
      resultRows.push({ measure: `scheduler through the infrastructure workflow: ${batched.name}`, kind: 'rate', unit: 'placements/s', clocker: rate(batched.members, batched.ms), floor: rate(naive.members, naive.ms), note: 'naive: 1 member per Update' });
    }

    // Member addresses: rounds alternate the two ways on one infrastructure and subnet.
    const infra = await freshInfrastructure();
    const subnet = await infra.executeUpdate(allocateSubnetUpdate, { args: [{ owner: 'bench/net' }] });
    const ms = { batch: { take: 0, give: 0 }, single: { take: 0, give: 0 } };
    for (let round = 0; round < ADDRESS_ROUNDS; round++) {
      const owners = (way: string) => Array.from({ length: PLACEMENT }, (_, m) => `bench/${way}${round}/${m}`);
      const batchOwners = owners('b');
      let t = performance.now();
      const taken = await infra.executeUpdate(allocateAddressesUpdate, { args: [{ owners: batchOwners.map((owner) => ({ owner, requests: [{ subnetId: subnet.id }] })) }] });
      if (taken.owners.some((o) => !('allocations' in o))) throw new Error('an address was refused');
      ms.batch.take += performance.now() - t;
      t = performance.now();
      await infra.executeUpdate(releaseAddressesUpdate, { args: [{ releases: batchOwners.map((owner) => ({ subnetId: subnet.id, owner })) }] });
      ms.batch.give += performance.now() - t;
      const singleOwners = owners('s');
      ms.single.take += await timed(PLACEMENT, IN_FLIGHT, async (i) => void (await infra.executeUpdate(allocateAddressUpdate, { args: [{ subnetId: subnet.id, owner: singleOwners[i]! }] })));
      ms.single.give += await timed(PLACEMENT, IN_FLIGHT, async (i) => void (await infra.executeUpdate(releaseAddressUpdate, { args: [{ subnetId: subnet.id, owner: singleOwners[i]! }] })));
    }
    const per = (total: number) => total / ADDRESS_ROUNDS;
    console.log(`member addresses of a placement of ${PLACEMENT}, ${ADDRESS_ROUNDS} rounds: take ${per(ms.batch.take).toFixed(1)} ms in one Update, ${per(ms.single.take).toFixed(1)} ms one per address (${IN_FLIGHT} in flight); give back ${per(ms.batch.give).toFixed(1)} ms / ${per(ms.single.give).toFixed(1)} ms`);
    resultRows.push(
      { measure: `member addresses of a placement of ${PLACEMENT} through the infrastructure workflow: taken`, kind: 'time', clocker: per(ms.batch.take), floor: per(ms.single.take), note: `naive: one Update per address, ${IN_FLIGHT} in flight; ${ADDRESS_ROUNDS} rounds, mean` },
      { measure: `member addresses of a placement of ${PLACEMENT} through the infrastructure workflow: given back`, kind: 'time', clocker: per(ms.batch.give), floor: per(ms.single.give), note: `naive: one Update per address, ${IN_FLIGHT} in flight; ${ADDRESS_ROUNDS} rounds, mean` },
    );
    printResult({ bench: 'workflow', rows: resultRows });
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
