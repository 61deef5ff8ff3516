import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ProxyControl } from "../gen/mcpacp/control/v1/control_pb.ts";
import { ManagerLink } from "../gen/mcpacp/link/v1/link_pb.ts";
import { startGrpcServer, transitiveFiles, type GrpcServerHandle } from "./index.ts";
import { makeSocketDir } from "./testdata/temp-dir.ts";
import { withUnimplemented } from "./testdata/unimplemented.ts";

const BUF = join(import.meta.dir, "..", "..", "node_modules", ".bin", "buf");
const temp = makeSocketDir();
const socketPath = join(temp.dir, "reflect.sock");
const plainSocketPath = join(temp.dir, "plain.sock");
const servers: GrpcServerHandle[] = [];

const managerLinkImpl = {
  async health() {
    return { pid: 777, version: "9.9.9", startedAt: { seconds: 1700000000n } };
  },
  async *attach() {},
};

/** Runs buf curl against a socket (async, so the in-process server keeps answering). */
async function bufCurl(socket: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([BUF, "curl", "--unix-socket", socket, "--protocol", "grpc", ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  servers.push(
    await startGrpcServer({
      socketPath,
      services: [
        { service: ManagerLink, impl: managerLinkImpl },
        {
          service: ProxyControl,
          impl: withUnimplemented(ProxyControl, {
            async *watchApprovals() {
              yield { update: { case: "current", value: { approvals: [{ id: "00000000000000aa" }] } } };
              yield { update: { case: "created", value: { id: "00000000000000bb", toolName: "write_file" } } };
            },
          }),
        },
      ],
    }),
  );
  servers.push(
    await startGrpcServer({
      socketPath: plainSocketPath,
      reflection: false,
      services: [{ service: ManagerLink, impl: managerLinkImpl }],
    }),
  );
});

afterAll(async () => {
  for (const server of servers) await server.close();
  temp.remove();
});

describe("server reflection with buf curl", () => {
  test("--list-services names the hosted services", async () => {
    const result = await bufCurl(socketPath, "--list-services", "http://localhost");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual(["mcpacp.control.v1.ProxyControl", "mcpacp.link.v1.ManagerLink"]);
  });

  test("--list-methods lists every rpc", async () => {
    const result = await bufCurl(socketPath, "--list-methods", "http://localhost");
    expect(result.code).toBe(0);
    const methods = result.stdout.trim().split("\n");
    for (const name of [
      "mcpacp.link.v1.ManagerLink/Health",
      "mcpacp.link.v1.ManagerLink/Attach",
      "mcpacp.control.v1.ProxyControl/GetInfo",
      "mcpacp.control.v1.ProxyControl/WatchApprovals",
    ]) {
      expect(methods).toContain(name);
    }
    expect(methods.length).toBe(ManagerLink.methods.length + ProxyControl.methods.length);
  });

  test("a unary call without --schema returns JSON (well-known Timestamp resolved too)", async () => {
    const result = await bufCurl(socketPath, "-d", "{}", "http://localhost/mcpacp.link.v1.ManagerLink/Health");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ pid: 777, version: "9.9.9", startedAt: "2023-11-14T22:13:20Z" });
  });

  test("the legacy v1alpha reflection protocol works as well", async () => {
    const result = await bufCurl(
      socketPath,
      "--reflect-protocol",
      "grpc-v1alpha",
      "-d",
      "{}",
      "http://localhost/mcpacp.link.v1.ManagerLink/Health",
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).pid).toBe(777);
  });

  test("a server stream prints one JSON object per message", async () => {
    const result = await bufCurl(socketPath, "-d", "{}", "http://localhost/mcpacp.control.v1.ProxyControl/WatchApprovals");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"current"');
    expect(result.stdout).toContain('"00000000000000aa"');
    expect(result.stdout).toContain('"toolName": "write_file"');
  });

  test("with reflection: false, buf curl cannot discover the schema", async () => {
    const result = await bufCurl(plainSocketPath, "--list-services", "http://localhost");
    expect(result.code).not.toBe(0);
  });
});

describe("transitiveFiles", () => {
  test("includes the service's file and every import, well-known types included, once each", () => {
    const names = transitiveFiles(ManagerLink).map((file) => file.proto.name);
    expect(names[0]).toBe("mcpacp/link/v1/link.proto");
    expect(names).toContain("google/protobuf/timestamp.proto");
    expect(names).toContain("mcpacp/common/v1/snapshot.proto");
    expect(new Set(names).size).toBe(names.length);
    const imports = ManagerLink.file.proto.dependency;
    for (const name of imports) expect(names).toContain(name);
  });
});
