import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { SubscribeRequestSchema } from "../../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ErrorDetailSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import { EventType } from "../../../lib/gen/mcpacp/common/v1/event_pb.ts";
import { EventHub, HubError, HubErrorCode } from "../events/index.ts";
import { MANAGER_SHUTTING_DOWN, SUBSCRIBER_BEHIND, eventServiceImpl, hubErrorToConnect } from "./event-service.ts";

function context(signal: AbortSignal): HandlerContext {
  return { signal } as HandlerContext;
}

function detailCode(error: unknown): string | undefined {
  return error instanceof ConnectError ? error.findDetails(ErrorDetailSchema)[0]?.code : undefined;
}

describe("EventService.Subscribe over the hub", () => {
  test("streams the opening snapshot, ready, then live events; aborting the RPC unsubscribes", async () => {
    const hub = new EventHub({ snapshots: () => [], seqBase: 0n });
    const abort = new AbortController();
    const stream = eventServiceImpl(hub).subscribe(create(SubscribeRequestSchema, {}), context(abort.signal));
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.event?.type).toBe(EventType.SNAPSHOT);
    expect((await iterator.next()).value?.event?.type).toBe(EventType.READY);
    expect(hub.subscriberCount).toBe(1);
    hub.publish({ type: EventType.PROXY_DELETED, payload: { case: "proxyDeleted", value: { proxyName: "fs" } } });
    const live = (await iterator.next()).value?.event;
    expect(live?.type).toBe(EventType.PROXY_DELETED);
    expect(live?.seq).toBe(1n);
    abort.abort();
    expect((await iterator.next()).done).toBe(true);
    expect(hub.subscriberCount).toBe(0);
  });

  test("a subscriber that falls behind ends with RESOURCE_EXHAUSTED and an ErrorDetail", async () => {
    const hub = new EventHub({ snapshots: () => [], seqBase: 0n, queueCap: 2 });
    const stream = eventServiceImpl(hub).subscribe(create(SubscribeRequestSchema, {}), context(new AbortController().signal));
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // the opening snapshot: the subscription is registered
    for (let i = 0; i < 5; i++) hub.publish({ type: EventType.PROXY_DELETED, payload: { case: "proxyDeleted", value: { proxyName: `p${i}` } } });
    let failure: unknown;
    try {
      for (;;) if ((await iterator.next()).done) break;
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).code).toBe(Code.ResourceExhausted);
    expect(detailCode(failure)).toBe(SUBSCRIBER_BEHIND);
    expect(hub.subscriberCount).toBe(0);
  });

  test("a closed hub refuses new subscribers with UNAVAILABLE", async () => {
    const hub = new EventHub({ snapshots: () => [] });
    hub.close();
    const stream = eventServiceImpl(hub).subscribe(create(SubscribeRequestSchema, {}), context(new AbortController().signal));
    let failure: unknown;
    try {
      await stream[Symbol.asyncIterator]().next();
    } catch (error) {
      failure = error;
    }
    expect((failure as ConnectError).code).toBe(Code.Unavailable);
    expect(detailCode(failure)).toBe(MANAGER_SHUTTING_DOWN);
  });

  test("hubErrorToConnect passes other errors through unchanged", () => {
    const other = new Error("x");
    expect(hubErrorToConnect(other)).toBe(other);
    expect((hubErrorToConnect(new HubError(HubErrorCode.ResourceExhausted, "behind")) as ConnectError).code).toBe(Code.ResourceExhausted);
  });
});
