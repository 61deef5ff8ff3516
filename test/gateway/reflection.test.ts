// Server reflection (grpc.reflection.v1 and v1alpha) and `buf curl` against the gateway, over
// h2c on the TCP port (with the token) and over api.sock (without).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import * as net from "node:net";
import {
  ServerReflection,
  ServerReflectionRequestSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../../lib/gen/grpc/reflection/v1/reflection_pb.ts";
import { ManagerService } from "../../lib/gen/mcpacp/api/v1/manager_service_pb.ts";
import { BUF, runCommand, startTestGateway, TEST_PID, type TestGateway } from "./support.ts";

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
});

afterAll(async () => {
  await t.close();
});

const socketTransport = (): Transport =>
  createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => net.connect(t.gateway.apiSocketPath) },
  });

async function ask(
  transport: Transport,
  questions: ServerReflectionRequest["messageRequest"][],
  headers: Record<string, string> = {},
): Promise<ServerReflectionResponse[]> {
  const client = createClient(ServerReflection, transport);
  async function* requests() {
    for (const messageRequest of questions) yield create(ServerReflectionRequestSchema, { messageRequest });
  }
  const answers: ServerReflectionResponse[] = [];
  for await (const answer of client.serverReflectionInfo(requests(), { headers })) answers.push(answer);
  return answers;
}

function fileNames(answer: ServerReflectionResponse | undefined): string[] {
  if (answer?.messageResponse.case !== "fileDescriptorResponse") return [];
  return answer.messageResponse.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);
}

const EXPECTED_SERVICES = [
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
  "mcpacp.api.v1.EventService",
  "mcpacp.api.v1.ManagerService",
  "mcpacp.api.v1.ProxyService",
];

describe("reflection service", () => {
  test("lists the registered services and itself", async () => {
    const [answer] = await ask(socketTransport(), [{ case: "listServices", value: "" }]);
    expect(answer?.messageResponse.case).toBe("listServicesResponse");
    const names = answer?.messageResponse.case === "listServicesResponse" ? answer.messageResponse.value.service.map((s) => s.name) : [];
    expect(names).toEqual(EXPECTED_SERVICES);
  });

  test("file_containing_symbol returns the file with its transitive dependencies", async () => {
    const [bySymbol, byMethod, byNested] = await ask(socketTransport(), [
      { case: "fileContainingSymbol", value: "mcpacp.api.v1.ManagerService" },
      { case: "fileContainingSymbol", value: "mcpacp.api.v1.ManagerService.GetStatus" },
      { case: "fileContainingSymbol", value: "mcpacp.api.v1.AttachedProxy" },
    ]);
    const names = fileNames(bySymbol);
    expect(names[0]).toBe("mcpacp/api/v1/manager_service.proto");
    expect(names).toContain("google/protobuf/timestamp.proto");
    expect(names).toContain("mcpacp/common/v1/proxy.proto");
    expect(fileNames(byMethod)[0]).toBe("mcpacp/api/v1/manager_service.proto");
    expect(fileNames(byNested)[0]).toBe("mcpacp/api/v1/manager_service.proto");
  });

  test("file_by_filename returns the file and its imports; unknown names are NOT_FOUND", async () => {
    const [known, unknown, unknownSymbol] = await ask(socketTransport(), [
      { case: "fileByFilename", value: "mcpacp/api/v1/event_service.proto" },
      { case: "fileByFilename", value: "nope/nope.proto" },
      { case: "fileContainingSymbol", value: "mcpacp.api.v1.NoSuchThing" },
    ]);
    const names = fileNames(known);
    expect(names[0]).toBe("mcpacp/api/v1/event_service.proto");
    expect(names).toContain("google/protobuf/duration.proto");
    expect(names).toContain("mcpacp/common/v1/event.proto");
    for (const answer of [unknown, unknownSymbol]) {
      expect(answer?.messageResponse.case).toBe("errorResponse");
      if (answer?.messageResponse.case === "errorResponse") expect(answer.messageResponse.value.errorCode).toBe(Code.NotFound);
    }
  });

  test("answers over h2c on the TCP port only with the token", async () => {
    const transport = createGrpcTransport({ baseUrl: t.gateway.url });
    await expect(ask(transport, [{ case: "listServices", value: "" }])).rejects.toMatchObject({ code: Code.Unauthenticated });
    const [answer] = await ask(transport, [{ case: "listServices", value: "" }], t.bearer);
    expect(answer?.messageResponse.case).toBe("listServicesResponse");
  });
});

describe("buf curl", () => {
  test("--list-services over h2c on the TCP port with the token", async () => {
    const result = await runCommand([
      BUF,
      "curl",
      "--list-services",
      "--http2-prior-knowledge",
      "--reflect-header",
      `Authorization: Bearer ${t.gateway.token}`,
      t.gateway.url,
    ]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(EXPECTED_SERVICES);
  });

  test("--list-services over h2c on the TCP port without the token fails", async () => {
    const result = await runCommand([BUF, "curl", "--list-services", "--http2-prior-knowledge", t.gateway.url]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
  });

  test("--list-methods over --unix-socket api.sock with --http2-prior-knowledge", async () => {
    const result = await runCommand([
      BUF,
      "curl",
      "--list-methods",
      "--unix-socket",
      t.gateway.apiSocketPath,
      "--http2-prior-knowledge",
      "http://localhost",
    ]);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain("mcpacp.api.v1.ManagerService/GetStatus");
    expect(lines).toContain("mcpacp.api.v1.EventService/Subscribe");
    expect(lines).toContain("grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
  });

  test("a call without --schema over api.sock (Connect and gRPC)", async () => {
    for (const protocol of ["connect", "grpc"]) {
      const result = await runCommand([
        BUF,
        "curl",
        "--protocol",
        protocol,
        "--unix-socket",
        t.gateway.apiSocketPath,
        "--http2-prior-knowledge",
        "http://localhost/mcpacp.api.v1.ManagerService/GetStatus",
      ]);
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ pid: TEST_PID, version: "test" });
    }
  });

  test("a call without --schema over h2c on the TCP port with the token", async () => {
    const header = `Authorization: Bearer ${t.gateway.token}`;
    const result = await runCommand([
      BUF,
      "curl",
      "--http2-prior-knowledge",
      "-H",
      header,
      "--reflect-header",
      header,
      `${t.gateway.url}/mcpacp.api.v1.ManagerService/GetStatus`,
    ]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ pid: TEST_PID });
  });

  test("grpc.reflection.v1alpha answers too", async () => {
    const result = await runCommand([
      BUF,
      "curl",
      "--list-services",
      "--reflect-protocol",
      "grpc-v1alpha",
      "--unix-socket",
      t.gateway.apiSocketPath,
      "--http2-prior-knowledge",
      "http://localhost",
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(EXPECTED_SERVICES);
  });
});

describe("connect-node clients", () => {
  test("createConnectTransport (HTTP/1.1) calls GetStatus with the token", async () => {
    const client = createClient(ManagerService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "1.1" }));
    expect((await client.getStatus({}, { headers: t.bearer })).pid).toBe(TEST_PID);
  });

  test("createGrpcTransport (h2c) calls GetStatus with the token", async () => {
    const client = createClient(ManagerService, createGrpcTransport({ baseUrl: t.gateway.url }));
    expect((await client.getStatus({}, { headers: t.bearer })).pid).toBe(TEST_PID);
  });

  test("createConnectTransport over HTTP/2 needs the token too, and works with it", async () => {
    const client = createClient(ManagerService, createConnectTransport({ baseUrl: t.gateway.url, httpVersion: "2" }));
    const error = await client.getStatus({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.Unauthenticated);
    expect((await client.getStatus({}, { headers: t.bearer })).pid).toBe(TEST_PID);
  });
});
