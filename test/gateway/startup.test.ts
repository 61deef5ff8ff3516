// Start-up failures and socket handling of startGateway.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import { GatewayError, GatewayErrorCode, startGateway } from "../../services/manager/gateway/index.ts";
import { startTestGateway } from "./support.ts";

const noRoutes = () => {};

async function failure(start: Promise<unknown>): Promise<GatewayError> {
  try {
    await start;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("startGateway succeeded but was expected to fail");
}

describe("startGateway", () => {
  test("refuses a non-loopback host", async () => {
    const dir = mkdtempSync("/tmp/mcpacp-gw-");
    try {
      const error = await failure(startGateway({ routes: noRoutes, port: 0, host: "0.0.0.0", apiSocketPath: join(dir, "a.sock") }));
      expect(error.code).toBe(GatewayErrorCode.InvalidOption);
      expect(error.message).toContain("loopback");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a taken port is a clear error and leaves no socket behind", async () => {
    const first = await startTestGateway();
    const dir = mkdtempSync("/tmp/mcpacp-gw-");
    try {
      const socketPath = join(dir, "api.sock");
      const error = await failure(startGateway({ routes: noRoutes, port: first.gateway.port, apiSocketPath: socketPath }));
      expect(error.code).toBe(GatewayErrorCode.PortInUse);
      expect(error.message).toContain(String(first.gateway.port));
      expect(await Bun.file(socketPath).exists()).toBe(false);
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a live api.sock is refused and its server keeps it", async () => {
    const first = await startTestGateway();
    try {
      const error = await failure(startGateway({ routes: noRoutes, port: 0, apiSocketPath: first.gateway.apiSocketPath }));
      expect(error.code).toBe(GatewayErrorCode.SocketInUse);
      // The first gateway still answers on its socket.
      await new Promise<void>((resolvePromise, reject) => {
        const socket = net.connect(first.gateway.apiSocketPath, () => {
          socket.destroy();
          resolvePromise();
        });
        socket.on("error", reject);
      });
    } finally {
      await first.close();
    }
  });

  test("a stale api.sock file is replaced", async () => {
    const dir = mkdtempSync("/tmp/mcpacp-gw-");
    const socketPath = join(dir, "api.sock");
    writeFileSync(socketPath, "left over");
    const gateway = await startGateway({ routes: noRoutes, port: 0, apiSocketPath: socketPath });
    try {
      expect(statSync(socketPath).isSocket()).toBe(true);
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("close() is safe to call twice", async () => {
    const t = await startTestGateway();
    await t.gateway.close();
    await t.close();
    expect(await Bun.file(t.gateway.apiSocketPath).exists()).toBe(false);
  });
});
