// The infrastructure's handlers for shared networks: each join and leave is one Update, run
// one at a time against the IPAM books (domain/ipam/sharedSubnets.ts), so the last to leave is
// known for certain. New handlers, no command: running infrastructures take them as they are.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { formatIpamIssues, joinSharedSubnet, leaveSharedSubnet, sharedSubnetOwner, validateSubnetRequest, type IpamState } from '../domain/ipam';
import { joinSharedNetworkUpdate, leaveSharedNetworkUpdate, sharedNetworkRequestProblem, type JoinSharedNetworkRequest, type LeaveSharedNetworkRequest } from './sharedNetworkMessages';

const subnetRequest = (req: JoinSharedNetworkRequest) => ({ owner: sharedSubnetOwner(req.network), ...(req.cidr ? { cidr: req.cidr } : {}), ...(req.inUse ? { inUse: req.inUse } : {}) });

/** `counted` is the workflow's update counter (continueAsNew after so many). */
export function setSharedNetworkHandlers(ipam: () => IpamState, counted: <A, R>(handler: (arg: A) => R) => (arg: A) => R): void {
  const validate = (req: unknown) => {
    const problem = sharedNetworkRequestProblem(req);
    if (problem) throw new Error(problem);
  };
  setHandler(
    joinSharedNetworkUpdate,
    counted((req: JoinSharedNetworkRequest) => {
      const result = joinSharedSubnet(ipam(), { ...subnetRequest(req), member: req.app });
      if (!result.ok) throw ApplicationFailure.nonRetryable(`shared network ${req.network} refused: ${formatIpamIssues(result.issues).replace(/\n/g, '; ')}`, 'IpamRefused');
      return { subnet: result.subnet, members: result.members };
    }),
    {
      validator: (req) => {
        validate(req);
        const issues = validateSubnetRequest(ipam(), subnetRequest(req));
        if (issues.length > 0) throw new Error(`shared network ${req.network}: ${formatIpamIssues(issues).replace(/\n/g, '; ')}`);
      },
      description: 'internal: an application joins a shared network (its subnet allocated for the first).',
    },
  );
  setHandler(
    leaveSharedNetworkUpdate,
    counted((req: LeaveSharedNetworkRequest) => leaveSharedSubnet(ipam(), sharedSubnetOwner(req.network), req.app)),
    { validator: validate, description: 'internal: an application leaves a shared network (its subnet released after the last).' },
  );
}
