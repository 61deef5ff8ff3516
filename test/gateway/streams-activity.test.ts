// EventService.Subscribe through the gateway: authentication of streams, incremental delivery,
// and the activity hook used by the idle shutdown (spec/manager.md §14 behaviours 6 and 22).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import * as net from "node:net";
import { EventService } from "../../lib/gen/mcpacp/api/v1/event_service_pb.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { keepaliveEvent, readyEvent, startTestGateway, type TestGateway } from "./support.ts";

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
});

afterAll(async () => {
  await t.close();
});

const SUBSCRIBE = "/mcpacp.api.v1.EventService/Subscribe";

const TRANSPORTS = {
  "Connect over HTTP/1.1": () => createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }),
  "gRPC over h2c": () => createGrpcTransport({ baseUrl: t.gateway.url }),
};

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of stream) count++;
  return count;
}

describe("Subscribe", () => {
  for (const [name, transport] of Object.entries(TRANSPORTS)) {
    test(`without a token is refused before any event (${name})`, async () => {
      t.streamScripts.push([{ event: readyEvent(1n) }]);
      const client = createClient(EventService, transport());
      let received = 0;
      const error = await (async () => {
        try {
          received = await drain(client.subscribe({}));
        } catch (e) {
          return ConnectError.from(e);
        }
        return undefined;
      })();
      expect(error?.code).toBe(Code.Unauthenticated);
      expect(received).toBe(0);
      t.streamScripts.length = 0;
    });

    test(`with a token streams incrementally (${name})`, async () => {
      // The server sends the second event only after the client has seen the first: a gateway
      // that buffered the stream would never deliver the first one, and the test would hang.
      let releaseSecond: () => void = () => {};
      const secondMayGo = new Promise<void>((resolvePromise) => {
        releaseSecond = resolvePromise;
      });
      t.streamScripts.push([{ event: readyEvent(1n) }, { wait: secondMayGo }, { event: readyEvent(2n) }]);
      const client = createClient(EventService, transport());
      const seqs: bigint[] = [];
      for await (const message of client.subscribe({}, { headers: t.bearer })) {
        seqs.push(message.event?.seq ?? 0n);
        if (seqs.length === 1) releaseSecond();
      }
      expect(seqs).toEqual([1n, 2n]);
    });
  }

  test("a cookie authenticates a stream too", async () => {
    t.streamScripts.push([{ event: readyEvent(7n) }]);
    const client = createClient(EventService, TRANSPORTS["Connect over HTTP/1.1"]());
    const seqs: bigint[] = [];
    for await (const message of client.subscribe({}, { headers: { cookie: `mcp_acp_token=${t.gateway.token}` } })) {
      seqs.push(message.event?.seq ?? 0n);
    }
    expect(seqs).toEqual([7n]);
  });
});

describe("activity hook", () => {
  test("not called for refused calls", async () => {
    t.activity.length = 0;
    const client = createClient(EventService, TRANSPORTS["Connect over HTTP/1.1"]());
    t.streamScripts.push([{ event: readyEvent(1n) }]);
    await expect(drain(client.subscribe({}))).rejects.toThrow();
    await expect(drain(client.subscribe({}, { headers: { authorization: "Bearer wrong" } }))).rejects.toThrow();
    t.streamScripts.length = 0;
    expect(t.activity).toEqual([]);
  });

  test("not called for GetStatus (TCP or api.sock)", async () => {
    t.activity.length = 0;
    const tcp = createClient(ManagerService, TRANSPORTS["gRPC over h2c"]());
    await tcp.getStatus({}, { headers: t.bearer });
    const sock = createClient(
      ManagerService,
      createConnectTransport({
        baseUrl: "http://localhost",
        httpVersion: "1.1",
        nodeOptions: { createConnection: () => net.connect(t.gateway.apiSocketPath) },
      }),
    );
    await sock.getStatus({});
    expect(t.activity).toEqual([]);
  });

  test("called for an accepted stream and its events, but not for keepalives", async () => {
    t.activity.length = 0;
    t.streamScripts.push([{ event: keepaliveEvent(1n) }, { event: readyEvent(2n) }, { event: keepaliveEvent(3n) }]);
    const client = createClient(EventService, TRANSPORTS["Connect over HTTP/1.1"]());
    expect(await drain(client.subscribe({}, { headers: t.bearer }))).toBe(3);
    expect(t.activity).toEqual([`call ${SUBSCRIBE}`, `stream_message ${SUBSCRIBE}`]);
  });

  test("called for calls on api.sock", async () => {
    t.activity.length = 0;
    t.streamScripts.push([{ event: keepaliveEvent(1n) }]);
    const client = createClient(
      EventService,
      createGrpcTransport({
        baseUrl: "http://localhost",
        nodeOptions: { createConnection: () => net.connect(t.gateway.apiSocketPath) },
      }),
    );
    expect(await drain(client.subscribe({}))).toBe(1);
    expect(t.activity).toEqual([`call ${SUBSCRIBE}`]);
  });
});

describe("close", () => {
  test("ends an open stream and removes api.sock", async () => {
    const own = await startTestGateway();
    const never = new Promise<void>(() => {});
    own.streamScripts.push([{ event: readyEvent(1n) }, { wait: never }]);
    const client = createClient(EventService, createGrpcTransport({ baseUrl: own.gateway.url }));
    const seen: bigint[] = [];
    const consumed = (async () => {
      try {
        for await (const message of client.subscribe({}, { headers: own.bearer })) {
          seen.push(message.event?.seq ?? 0n);
          if (seen.length === 1) void own.close();
        }
        return "ended";
      } catch (error) {
        return ConnectError.from(error).code;
      }
    })();
    // Reaching this line at all is the point: close() ended a stream whose handler never returns.
    await consumed;
    expect(seen).toEqual([1n]);
    await own.close();
    expect(await Bun.file(own.gateway.apiSocketPath).exists()).toBe(false);
  });
});
