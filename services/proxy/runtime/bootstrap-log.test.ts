import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, ConfigErrorCode } from "../../../lib/config/index.ts";
import { createMemoryLogger } from "../relay/log.ts";
import { appendBootstrapRecord, bootstrapRecord } from "./bootstrap-log.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-bootstrap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a record names the event, the domain error and the exit code; lines append to a 0600 file", () => {
  const cause = new ConfigError(ConfigErrorCode.Invalid, "Invalid proxy configuration");
  const error = new StartupError(StartupErrorCode.ConfigInvalid, "Invalid proxy configuration", { cause });
  const record = bootstrapRecord(error, new Date("2025-01-01T00:00:00Z"));
  expect(record).toEqual({
    time: "2025-01-01T00:00:00.000Z",
    event: "config_validation_failed",
    error_message: "Invalid proxy configuration",
    component: "cli",
    source: "cli_start",
    error_type: "ConfigError",
    exit_code: 1,
  });
  const file = join(dir, "bootstrap.jsonl");
  const logger = createMemoryLogger();
  appendBootstrapRecord(file, record, logger);
  appendBootstrapRecord(file, bootstrapRecord(new StartupError(StartupErrorCode.PolicyInvalid, "bad policy")), logger);
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => [l.event, l.exit_code, l.error_type])).toEqual([
    ["config_validation_failed", 1, "ConfigError"],
    ["policy_validation_failed", 11, "StartupError"],
  ]);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(logger.entries).toEqual([]);
});

test("a bootstrap file that cannot be written is logged, not thrown", () => {
  const logger = createMemoryLogger();
  appendBootstrapRecord(join(dir, "missing-dir", "bootstrap.jsonl"), bootstrapRecord(new StartupError(StartupErrorCode.StartupFailed, "x")), logger);
  expect(logger.entries[0]?.message).toContain("Could not record the startup failure");
});

test("exit codes: policy 11, manager config 16, identity 13, second instance 1 as startup_failed", () => {
  const exit = (code: StartupErrorCode) => new StartupError(code, "m").exitCode;
  expect(exit(StartupErrorCode.PolicyNotFound)).toBe(11);
  expect(exit(StartupErrorCode.ManagerConfigInvalid)).toBe(16);
  expect(exit(StartupErrorCode.IdentityNotSupported)).toBe(13);
  const running = new StartupError(StartupErrorCode.AlreadyRunning, "m");
  expect([running.exitCode, running.event]).toEqual([1, "startup_failed"]);
});
