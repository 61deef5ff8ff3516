import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManagerLog } from "./system-log.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-mlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("WARNING and above go to system.jsonl as JSON lines; INFO and above to stderr", () => {
  const file = join(dir, "mcp-acp", "manager", "system.jsonl");
  const lines: string[] = [];
  const log = createManagerLog({ file, stderr: { write: (text: string) => lines.push(text) } });
  log.debug("noise", "not shown");
  log.info("manager_started", "Manager running", { pid: 1 });
  expect(existsSync(file)).toBe(false);
  log.warn("proxy_replaced", "Proxy 'fs' attached again", { proxy: "fs", seq: 3n });
  log.error("shutdown_step_failed", "boom");
  const records = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(records.map((r) => [r.level, r.event])).toEqual([
    ["WARNING", "proxy_replaced"],
    ["ERROR", "shutdown_step_failed"],
  ]);
  expect(records[0]).toMatchObject({ message: "Proxy 'fs' attached again", proxy: "fs", seq: "3" });
  expect(typeof records[0]?.time).toBe("string");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, "mcp-acp", "manager")).mode & 0o777).toBe(0o700);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toBe('manager INFO: Manager running {"pid":1}\n');
});
