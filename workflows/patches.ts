// The ledger of every `patched()` id in the workflow code. A workflow started by an earlier
// release replays its history through the old branch; new runs take the new one. Each entry
// says what changed, in which release, and when the old branch may go: once no workflow that
// started before that release can still be running (applications and infrastructures live for
// months, so an old branch stays until the release named in `removeAfter` is the oldest one
// whose histories test/histories/ keeps). Replay of the retained releases' histories in
// test/workflow/releaseReplay.test.ts proves both branches.
//
// To retire a patch: first ship a release that calls `deprecatePatch(id)` instead of
// `patched(id)`, and only in a later one delete the call and the old branch.
export interface PatchEntry {
  /** What the new branch does differently (the commands it issues). */
  change: string;
  /** The release that introduced it. */
  since: string;
  /** The old branch may go once every retained history was recorded on `since` or later. */
  removeAfter: string;
}

// Call sites write the id literally, `patched('svc-start-converges')`; test/unit/patchLedger.test.ts
// checks that every id used in workflows/ is listed here and every listed id is used.
export const PATCHES = {
  'svc-start-converges': {
    change: 'a service `start` removes failed members, restarts stopped ones and places missing ones (was: restart existing members only)',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-status-derived': {
    change: 'the status at rest is derived from the services (RUNNING, DEGRADED, STOPPED, FAILED) and re-derived on every report, the search attribute upserted when it changes; a deploy onto a blocked application retries its start',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-repair-on-deploy': {
    change: 'after a version is applied, every service not fully up is told to start (converge) or started anew, in dependency order',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-preflight': {
    change: 'a new application first runs the preflight (admissionDryRun, missingSecrets, checkHost per chosen host) and, on any problem, allocates and creates nothing',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-networks-up-front': {
    change: "after allocating its networks' subnets, a new application ensures every network on each live host of its infrastructure (liveHostEndpoints, then ensureNetwork per host and network) before it starts a service",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'host-probe-liveness': {
    change: 'a host is probed with one `docker info` (checkHostAlive, its own 20 s timeout, 3 attempts) whose failure only counts when the engine itself did not answer; usage is measured every 5th check (measureHostUsage) and never fails the host (was: probeHost, docker stats per container, timeout = interval, 1 attempt)',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-networks-grow': {
    change: 'a version that adds networks allocates their subnets and makes them on every live host (allocateNetworkSubnet, liveHostEndpoints, ensureNetwork) before its services roll; old validators refused such versions, so no old history has one',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-overlay-swarm': {
    change: 'an application with an overlay network ensures the infrastructure\'s swarm (ensureSwarm over the live hosts) and makes each overlay network once, on a manager, instead of on every host; old validators refused overlay networks, so no old history has one',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-iptables-refused': {
    change: 'a new application with `addIptablesRules: true` on a network is refused before anything is allocated (was: accepted, the field ignored)',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-overlay-swarm-join': {
    change: "before a service makes an overlay network on a host for the first time, it tops up the infrastructure's swarm (liveHostEndpoints, ensureSwarm), so a host added later joins; old validators refused overlay networks, so no old history has one",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-overlay-join-on-need': {
    change: "a service makes an overlay network on a host first (ensureNetwork) and tops up the swarm (liveHostEndpoints, ensureSwarm) only when that host's engine answers NotInSwarmError, then asks again; before, it topped up the swarm in front of every host's first member",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'infra-headroom': {
    change: 'an infrastructure whose file sets `headroom:` evaluates it after every change to its books and on a timer, provisioning spares (host children) and draining idle hosts back to the spares; no earlier release accepted the setting, so no old history has one',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-parallel-remove': {
    change: 'a service removes several members at once (removeContainer calls up to 16 at a time per host, every host at once) where it removed them one after the other; the later calls (changed, releaseMembers) are the same',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-start-members-batch': {
    change: "a service starts a placement's new members on each host in one activity (startMembers: create, start, health for all of them, one answer per member) where it ran one startMember per member; a member whose failure a retry may mend is then started alone (startMember, usual policy); a host's members show RUNNING together",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-remove-batch': {
    change: "a service removes its members on each host in one activity (removeContainers, the same width as before, one answer per member) where it ran one removeContainer per member; a member whose removal a retry may mend is then removed alone (removeContainer); the later calls (changed, releaseMembers) are the same",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-start-member-one-call': {
    change: 'a new member is created, started and waited for in one activity (startMember) where it took two (ensureContainer, then waitHealthy); the member shows CREATED and RUNNING together',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-iptables-rules': {
    change: 'a new application with `addIptablesRules: true` gets isolation rules (isolateNetworks on every live host once its networks are made, removeIsolation when it is destroyed) instead of the refusal of app-iptables-refused',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-shared-networks': {
    change: 'a new application with a `shared: true` network joins it in the infrastructure\'s books (joinSharedNetwork, where it allocated its own subnet) and makes it as the infrastructure\'s (`clocker-shared`) network; on destroy it leaves (leaveSharedNetwork) and, if last, removes it from the hosts (removeSharedNetwork, removeIsolation); the release before refused shared networks',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-routed-networks': {
    change: 'a new application with a `driver: routed` network (the seeds\' calico) gives each live host a block of its subnet, a bridge on it and the routes to the other hosts\' blocks (ensureRoutedNetwork) where it made a network per host, and takes the routes and rules off every host on destroy (removeRoutedNetwork); the release before refused the driver',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-routed-follow': {
    change: 'an application with a routed network follows its members: each time the running members it knows change, it ensures the routes on every live host (ensureRoutedNetwork, withdrawing those of hosts that failed or left) and writes its members\' names into every member\'s /etc/hosts (writeRoutedNames); the release before refused routed networks, so no old history waits on it',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-routed-networks': {
    change: 'a service that first places a member of a routed network on a host makes that host\'s block, bridge and routes (ensureRoutedNetwork for the host) where it made the network (ensureNetwork); the release before refused routed networks',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-member-addresses': {
    change: 'a new application hands its services versions marked memberAddresses (kept across continueAsNew), so their members take addresses from IPAM; no command of its own changes',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-member-addresses': {
    change: "a member of a memberAddresses version gets its address on each network from IPAM before its container is made (allocateMemberAddresses), passed to Docker as the endpoint's IPv4Address (the releaseMembers activity gives removed members' addresses back with their room)",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-member-addresses-batch': {
    change: "the members one placement gives a service take their IPAM addresses in one activity (allocateMembersAddresses, asked while the networks are made) instead of one allocateMemberAddresses per member after its network: three events per placement instead of three per member; a member IPAM refuses fails alone, as before",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-start-lean': {
    change: "a new service asks for its placement while its PLACING report is on its way (the signal is no longer awaited first; the next report waits for it, so reports still arrive in order)",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-teardown-lean': {
    change: "a destroyed service starts removing its members while its DESTROYING report is on its way (the signal is no longer awaited first; the next report waits for it), and once every container went gives every booking and address back in one releaseMembers with no report in between (was: a report, releaseMembers of the removed, then releaseMembers of the rest)",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-teardown-wide': {
    change: "a destroyed service removes up to 64 members at once on each host (was 16 per host, as in a resize): more removeContainer activities scheduled in the teardown's first workflow task",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-destroy-lean': {
    change: "a destroyed application lists its infrastructure's live hosts (liveHostEndpoints) while its services tear down, not after they ended: the command comes before the services' destroy signals",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-iptables-rules': {
    change: "a service that makes an `addIptablesRules: true` network on a host for the first time puts the network's isolation rules there too (isolateNetworks for that host); the release before ignored the field",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'infra-swarm-repair': {
    change: "an infrastructure whose engines are in a Docker swarm (swarmInUse, signalled by ensureSwarm) repairs the swarm's membership when a host is ready, draining, failed or removed (repairSwarm, beside the main line: workflows/infraSwarm.ts); the release before left removed and failed nodes in the swarm",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'infra-capacity-nudge': {
    change: 'an infrastructure remembers the services it refused a placement and, once room grows (a host AVAILABLE, members released), signals each `capacityFreed` so it tries again at once instead of at its next backoff step',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-duties': {
    change: 'a service runs its duties on a clock between requests (workflows/serviceDuties.ts): a service short of running members places the missing ones again with backoff (removing broken ones first, placeMembers/ensureContainer…), where it used to wait for a request; a timer is set only while a duty is due',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-autoscaler': {
    change: 'a service with an autoscaler policy measures its members every period while RUNNING (a timer and the local activity measureServiceMetric) and pushes the sizes it decides as resizes; services of earlier releases never evaluated theirs',
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-overlay-default': {
    change: "a new application whose blueprint has networks that name no driver asks the infrastructure its size once, before allocating them (infrastructureShape), and gives those networks `overlay` on more than one host (or spares), `bridge` on one (kept across continueAsNew); applications started before keep bridge",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'app-encrypted-overlay': {
    change: "a new application with an `encrypted: true` overlay network asks every live host's kernel for IPsec ESP (checkOverlayEncryption) before its networks are made, and fails with the reason where one lacks it; the loaders refused the field before",
    since: '0.2.0',
    removeAfter: '0.2.0',
  },
  'svc-infra-label': {
    change: "a service names its infrastructure in every member start (startMembers, startMember, ensureContainer: `infrastructure`), which labels the container io.clocker.infrastructure; services of earlier releases made containers without it",
    since: '0.3.0',
    removeAfter: '0.3.0',
  },
  'infra-sweep-own': {
    change: "a host back from a failure is swept with the infrastructure's name (removeOrphanContainers: `infrastructure`), so containers labelled as another infrastructure's stay; before, every unbooked member container on the host went",
    since: '0.3.0',
    removeAfter: '0.3.0',
  },
} as const satisfies Record<string, PatchEntry>;

export type PatchId = keyof typeof PATCHES;
