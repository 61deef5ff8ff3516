import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import {
  checkSocketPathLength,
  createGrpcClient,
  isSocketLive,
  maxSocketPathBytes,
  prepareSocketPath,
  RpcCode,
  RpcError,
  startGrpcServer,
  type GrpcServerHandle,
} from "./index.ts";
import { startChildServer } from "./testdata/child-server.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";

const temp = makeSocketDir();
const servers: GrpcServerHandle[] = [];

const healthImpl = {
  async health() {
    return { pid: process.pid };
  },
  async *attach() {},
};

async function start(socketPath: string): Promise<GrpcServerHandle> {
  const server = await startGrpcServer({ socketPath, services: [{ service: ManagerLink, impl: healthImpl }] });
  servers.push(server);
  return server;
}

async function healthPid(socketPath: string): Promise<number> {
  const client = createGrpcClient(ManagerLink, socketPath);
  try {
    return (await client.health({})).pid;
  } finally {
    client.close();
  }
}

afterAll(async () => {
  for (const server of servers) await server.close();
  temp.remove();
});

describe("startGrpcServer socket handling", () => {
  test("creates a missing parent dir 0700 and the socket 0600", async () => {
    const socketPath = join(temp.dir, "run", "deep", "mode.sock");
    const server = await start(socketPath);
    expect(server.socketPath).toBe(socketPath);
    expect((await lstat(socketPath)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(temp.dir, "run", "deep"))).mode & 0o777).toBe(0o700);
    expect(await healthPid(socketPath)).toBe(process.pid);
  });

  test("a leftover regular file is removed and bind succeeds", async () => {
    const socketPath = join(temp.dir, "leftover.sock");
    writeFileSync(socketPath, "not a socket");
    await start(socketPath);
    expect((await lstat(socketPath)).isSocket()).toBe(true);
    expect(await healthPid(socketPath)).toBe(process.pid);
  });

  test("a dead socket left by a killed server is replaced", async () => {
    const socketPath = join(temp.dir, "dead.sock");
    const child = await startChildServer(socketPath);
    await child.kill("SIGKILL");
    expect((await lstat(socketPath)).isSocket()).toBe(true);
    expect(await isSocketLive(socketPath, 1000)).toBe(false);
    await start(socketPath);
    expect(await healthPid(socketPath)).toBe(process.pid);
  });

  test("a live socket makes a second server refuse with ALREADY_EXISTS, leaving the first intact", async () => {
    const socketPath = join(temp.dir, "live.sock");
    await start(socketPath);
    expect(await isSocketLive(socketPath, 1000)).toBe(true);
    const error = await start(socketPath).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(RpcCode.ALREADY_EXISTS);
    expect((error as RpcError).message).toContain("another process is already serving");
    expect((error as RpcError).message).toContain(socketPath);
    expect(await healthPid(socketPath)).toBe(process.pid);
  });

  test("a directory in the way is refused, not deleted", async () => {
    const socketPath = join(temp.dir, "a-dir.sock");
    mkdirSync(socketPath);
    const error = await prepareSocketPath(socketPath).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(RpcCode.FAILED_PRECONDITION);
    expect((await lstat(socketPath)).isDirectory()).toBe(true);
  });

  test("close() removes the socket file", async () => {
    const socketPath = join(temp.dir, "closed.sock");
    const server = await start(socketPath);
    await server.close();
    expect(await Bun.file(socketPath).exists()).toBe(false);
    expect(await isSocketLive(socketPath, 200)).toBe(false);
  });
});

describe("socket path length", () => {
  test("limits follow sun_path: 108 bytes on Linux, 104 on macOS (NUL included)", () => {
    expect(maxSocketPathBytes("linux")).toBe(107);
    expect(maxSocketPathBytes("darwin")).toBe(103);
  });

  test("a path over the limit is refused with a clear error, before anything is created", async () => {
    const longPath = join(temp.dir, "x".repeat(120), "s.sock");
    expect(() => checkSocketPathLength(longPath, "linux")).toThrow(/bytes long; linux allows at most 107/);
    expect(() => checkSocketPathLength(join(temp.dir, "ok.sock"), "darwin")).not.toThrow();
    const error = await prepareSocketPath(longPath).catch((e: unknown) => e);
    expect((error as RpcError).code).toBe(RpcCode.INVALID_ARGUMENT);
    expect(await Bun.file(join(temp.dir, "x".repeat(120))).exists()).toBe(false);
    expect(() => createGrpcClient(ManagerLink, longPath)).toThrow(RpcError);
  });

  test("multi-byte characters count in bytes", () => {
    const path = `/tmp/${"é".repeat(60)}`; // 5 + 120 bytes, 65 characters
    expect(() => checkSocketPathLength(path, "linux")).toThrow(/125 bytes long/);
  });
});
