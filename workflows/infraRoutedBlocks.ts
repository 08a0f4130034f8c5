// The infrastructure's handlers for routed networks' host blocks: each request is one Update,
// run one at a time against the IPAM books (domain/network/routedBlocks.ts), so two hosts
// asking at once never get the same block. New handlers, no command: running infrastructures
// take them as they are.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { IpamState } from '../domain/ipam';
import { carveHostBlocks, releaseHostBlocks } from '../domain/network/routedBlocks';
import { hostBlocksQuery, hostBlocksRequestProblem, hostBlocksUpdate, type HostBlocksRequest } from './routedBlockMessages';

/** `counted` is the workflow's update counter (continueAsNew after so many). */
export function setRoutedBlockHandlers(ipam: () => IpamState, counted: <A, R>(handler: (arg: A) => R) => (arg: A) => R): void {
  const subnetOf = (id: string) => (Object.prototype.hasOwnProperty.call(ipam().subnets, id) ? ipam().subnets[id] : undefined);
  setHandler(
    hostBlocksUpdate,
    counted((req: HostBlocksRequest) => {
      const subnet = subnetOf(req.subnetId);
      if (!subnet) throw ApplicationFailure.nonRetryable(`routed network subnet ${req.subnetId} is not held by IPAM`, 'IpamRefused');
      if (req.knownHosts) releaseHostBlocks(subnet, Object.keys(subnet.blocks ?? {}).filter((h) => !req.knownHosts!.includes(h)));
      const result = carveHostBlocks(subnet, req.hosts);
      if (!result.ok) throw ApplicationFailure.nonRetryable(result.problem, 'IpamRefused');
      return result.blocks;
    }),
    {
      validator: (req) => {
        const problem = hostBlocksRequestProblem(req);
        if (problem) throw new Error(problem);
      },
      description: 'internal: gives hosts blocks of a routed network\'s subnet (the ones they hold, asked again), takes back those of hosts the infrastructure no longer has, and answers every host\'s.',
    },
  );
  setHandler(hostBlocksQuery, (subnetId) => subnetOf(subnetId)?.blocks ?? {}, { description: 'The blocks of a routed network\'s subnet, by host.' });
}
