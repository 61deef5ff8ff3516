import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAppPaths } from "../../../lib/paths/index.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";
import { locateProxy } from "./proxy-setup.ts";

const root = mkdtempSync(join(tmpdir(), "mcp-acp-setup-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const paths = resolveAppPaths({ MCP_ACP_HOME: root });

function refusal(name: string): StartupError {
  try {
    locateProxy(paths, name);
  } catch (error) {
    if (error instanceof StartupError) return error;
    throw error;
  }
  throw new Error(`locateProxy('${name}') did not refuse`);
}

test("no manager.json: exit 1 with the init hint", () => {
  const error = refusal("fs");
  expect(error.code).toBe(StartupErrorCode.ManagerConfigMissing);
  expect(error.exitCode).toBe(1);
  expect(error.hint).toContain("mcp-acp init");
});

test("unknown names list what exists, a case slip is pointed out, a path-like name is refused", () => {
  mkdirSync(join(paths.configDir, "proxies", "Files"), { recursive: true });
  mkdirSync(join(paths.configDir, "proxies", "web"), { recursive: true });
  writeFileSync(join(paths.configDir, "manager.json"), "{}");
  expect(refusal("nope").hint).toBe("Available proxies: Files, web.");
  expect(refusal("files").hint).toBe("Did you mean 'Files'?");
  const traversal = refusal("../web");
  expect(traversal.code).toBe(StartupErrorCode.ProxyNotFound);
  expect(traversal.message).toContain("invalid name");
  expect(locateProxy(paths, "web").configPath).toBe(join(paths.configDir, "proxies", "web", "config.json"));
});
