import { afterAll, expect, test } from "bun:test";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { ProxyControl } from "../gen/mcpacp/control/v1/control_pb.ts";
import { createGrpcClient, RpcCode, RpcError } from "./index.ts";
import { startChildServer, type ChildServer } from "./testdata/child-server.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";

const temp = makeSocketDir();
const children: ChildServer[] = [];

afterAll(async () => {
  for (const child of children) await child.kill();
  temp.remove();
});

test("a server killed mid-stream ends the client's loop with UNAVAILABLE or CANCELLED, not a hang", async () => {
  const socketPath = join(temp.dir, "killed.sock");
  const child = await startChildServer(socketPath);
  children.push(child);
  const client = createGrpcClient(ProxyControl, socketPath);
  let received = 0;
  let failure: unknown;
  try {
    for await (const _ of client.watchApprovals({})) {
      received++;
      if (received === 2) await child.kill("SIGKILL");
    }
  } catch (error) {
    failure = error;
  } finally {
    client.close();
  }
  expect(received).toBeGreaterThanOrEqual(2);
  expect(failure).toBeInstanceOf(RpcError);
  expect([RpcCode.UNAVAILABLE, RpcCode.CANCELLED]).toContain((failure as RpcError).code);
});

test("the client reconnects once a new server takes over the dead server's socket", async () => {
  const socketPath = join(temp.dir, "restart.sock");
  const first = await startChildServer(socketPath);
  children.push(first);
  const client = createGrpcClient(ProxyControl, socketPath);
  try {
    expect((await client.getInfo({})).info?.pid).toBe(first.pid);
    await first.kill("SIGKILL");
    expect((await lstat(socketPath)).isSocket()).toBe(true); // SIGKILL leaves the socket behind
    const second = await startChildServer(socketPath);
    children.push(second);
    const info = await client.getInfo({}, { waitForReady: true, timeoutMs: 10_000 });
    expect(info.info?.pid).toBe(second.pid);
  } finally {
    client.close();
  }
});
