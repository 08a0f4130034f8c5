// The status fast path speaks the frontend's protobuf by hand: checked here against the SDK's
// own generated codec (@temporalio/proto), both ways.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { listQuery, SA } from '../../client/fastpath/fastStatus';
import { frame, unframe } from '../../client/fastpath/grpcUnary';
import { ProtoWriter, readFields } from '../../client/fastpath/protoWire';
import { listRequest, listResponse, payloadValue, queryRequest, queryResponse, UnreadablePayloadError } from '../../client/fastpath/workflowMessages';
import { searchAttributes } from '../../workflows/searchAttributes';

const ws = temporal.api.workflowservice.v1;
const json = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

describe('status fast path', () => {
  test('varints round-trip, multi-byte and past 32 bits', () => {
    for (const n of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 5]) {
      const [f] = readFields(new ProtoWriter().uint(1, n || 1).finish());
      assert.deepEqual(f, { field: 1, wire: 0, value: n || 1 });
    }
  });

  test('its requests are what the SDK codec reads', () => {
    const list = ws.ListWorkflowExecutionsRequest.decode(listRequest('default', listQuery(false), Uint8Array.from([7, 8])));
    assert.equal(list.namespace, 'default');
    assert.equal(list.query, 'ClockerKind = "application" AND ExecutionStatus = "Running"');
    assert.equal(list.pageSize, 1000);
    assert.deepEqual([...list.nextPageToken], [7, 8]);
    const q = ws.QueryWorkflowRequest.decode(queryRequest('ns', 'clocker/app/shop', 'status'));
    assert.equal(q.namespace, 'ns');
    assert.equal(q.execution?.workflowId, 'clocker/app/shop');
    assert.equal(q.query?.queryType, 'status');
  });

  test('it reads the SDK codec’s answers: listed executions with their search attributes, a query result', () => {
    // fromObject: it takes plain numbers where the generated types want Long.
    const response = ws.ListWorkflowExecutionsResponse.encode(ws.ListWorkflowExecutionsResponse.fromObject({
      executions: [
        {
          execution: { workflowId: 'clocker/app/shop', runId: 'r1' },
          type: { name: 'application' },
          status: temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          historyLength: 2 ** 33,
          startTime: { seconds: 1_700_000_000, nanos: 5 },
          searchAttributes: { indexedFields: { ClockerApp: json('shop'), ClockerStatus: json('DEGRADED'), ClockerKind: json('application') } },
        },
        { execution: { workflowId: 'clocker/app/old' }, status: temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED },
      ],
      nextPageToken: Buffer.from('next'),
    })).finish();
    const page = listResponse(response);
    assert.deepEqual(page.executions, [
      { workflowId: 'clocker/app/shop', status: 'RUNNING', searchAttributes: { ClockerApp: 'shop', ClockerStatus: 'DEGRADED', ClockerKind: 'application' } },
      { workflowId: 'clocker/app/old', status: 'COMPLETED', searchAttributes: {} },
    ]);
    assert.equal(Buffer.from(page.nextPageToken).toString(), 'next');

    const view = { name: 'shop', status: 'RUNNING', services: [] };
    assert.deepEqual(queryResponse(ws.QueryWorkflowResponse.encode({ queryResult: { payloads: [json(view)] } }).finish()), { value: view });
    assert.deepEqual(queryResponse(ws.QueryWorkflowResponse.encode({ queryRejected: { status: temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED } }).finish()), { rejected: 'FAILED' });
  });

  test('an encrypted payload is not read: the caller takes the SDK path', () => {
    const sealed = temporal.api.common.v1.Payload.encode({ metadata: { encoding: Buffer.from('binary/encrypted') }, data: Buffer.from([1, 2, 3]) }).finish();
    assert.throws(() => payloadValue(sealed), UnreadablePayloadError);
  });

  test('gRPC frames: a flag byte, a big-endian length, the message', () => {
    const f = frame(Uint8Array.from([1, 2, 3]));
    assert.deepEqual([...f], [0, 0, 0, 0, 3, 1, 2, 3]);
    assert.deepEqual([...unframe(f)], [1, 2, 3]);
  });

  test('the names and the query are the SDK path’s', () => {
    assert.deepEqual(SA, { kind: searchAttributes.kind.name, app: searchAttributes.app.name, status: searchAttributes.status.name });
    assert.equal(listQuery(true), `${searchAttributes.kind.name} = "application"`);
  });
});
