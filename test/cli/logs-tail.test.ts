// `mcp-acp logs tail` as a real process: it prints records as they are appended, waits for a
// missing file, follows truncation and replacement, applies filters, and exits 0 on Ctrl-C.
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { logFilePath } from "../../lib/audit/index.ts";
import { CLI_ENTRY, initializedHome, REPO_ROOT, TempHome } from "../helpers/index.ts";

let home: TempHome;
let path: string;

beforeAll(async () => {
  home = await initializedHome();
  const r = await home.run(["proxy", "add", "--name", "fs", "--server-name", "fs", "--command", "npx-fs"]);
  expect(r.exitCode).toBe(0);
  path = logFilePath(home.path("logs", "mcp-acp", "proxies", "fs"), "audit/operations.jsonl");
});
afterAll(() => home.remove());

/** Collects a stream's text; `until` resolves once the text satisfies a predicate. */
class StreamText {
  text = "";
  private waiters: Array<{ test: (t: string) => boolean; resolve: () => void }> = [];

  constructor(stream: ReadableStream<Uint8Array>) {
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        this.text += decoder.decode(chunk, { stream: true });
        this.waiters = this.waiters.filter((w) => (w.test(this.text) ? (w.resolve(), false) : true));
      }
    })();
  }

  /** Waits until the text satisfies `test`; fails after a generous guard, never asserts on speed. */
  until(test: (t: string) => boolean, what: string): Promise<void> {
    if (test(this.text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`gave up waiting for ${what}; got:\n${this.text}`)), 15_000);
      this.waiters.push({ test, resolve: () => (clearTimeout(guard), resolve()) });
    });
  }

  contains(needle: string): Promise<void> {
    return this.until((t) => t.includes(needle), JSON.stringify(needle));
  }
}

interface Tail {
  child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  stdout: StreamText;
  stderr: StreamText;
}

let running: Tail | undefined;

function tail(...extra: string[]): Tail {
  const child = Bun.spawn([process.execPath, CLI_ENTRY, "logs", "tail", "--proxy", "fs", "--type", "operations", ...extra], {
    cwd: REPO_ROOT,
    env: home.env(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  running = { child, stdout: new StreamText(child.stdout), stderr: new StreamText(child.stderr) };
  return running;
}

afterEach(async () => {
  if (running !== undefined && running.child.exitCode === null) {
    running.child.kill("SIGKILL");
    await running.child.exited;
  }
  running = undefined;
  rmSync(path, { force: true });
});

function record(id: string, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ time: new Date().toISOString(), request_id: id, session_id: "s1", ...extra })}\n`;
}

function writeLog(text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("logs tail", () => {
  test("prints records appended after it started (not the old ones), then exits 0 on SIGINT", async () => {
    writeLog(record("old-1") + record("old-2"));
    const t = tail();
    await t.stderr.contains("Following");
    appendFileSync(path, record("new-1"));
    await t.stdout.contains('"new-1"');
    appendFileSync(path, record("new-2") + record("new-3"));
    await t.stdout.contains('"new-3"');
    t.child.kill("SIGINT");
    expect(await t.child.exited).toBe(0);
    const ids = t.stdout.text.trim().split("\n").map((l) => (JSON.parse(l) as { request_id: string }).request_id);
    expect(ids).toEqual(["new-1", "new-2", "new-3"]);
  });

  test("-n prints the last N first (oldest of them first); a line written in two parts comes out once, whole", async () => {
    writeLog(record("a") + record("b") + record("c"));
    const t = tail("-n", "2");
    await t.stderr.contains("Following");
    const line = record("split");
    appendFileSync(path, line.slice(0, 10));
    appendFileSync(path, line.slice(10));
    await t.stdout.contains('"split"');
    const lines = t.stdout.text.split("\n");
    expect(lines.slice(0, 2).map((l) => (JSON.parse(l) as { request_id: string }).request_id)).toEqual(["b", "c"]);
    expect(lines.slice(2).join("\n")).toBe(line);
  });

  test("waits for a missing file, then follows it from its start", async () => {
    const t = tail();
    await t.stderr.contains("Waiting for");
    writeLog(record("first"));
    await t.stdout.contains('"first"');
  });

  test("follows a truncated file from its start and a replaced file into the new one", async () => {
    writeLog(record("x"));
    const t = tail();
    await t.stderr.contains("Following");
    writeFileSync(path, "");
    await t.stderr.contains("was truncated");
    appendFileSync(path, record("after-truncate"));
    await t.stdout.contains('"after-truncate"');
    writeFileSync(`${path}.new`, record("in-new-file"));
    renameSync(`${path}.new`, path);
    await t.stderr.contains("was replaced");
    await t.stdout.contains('"in-new-file"');
    appendFileSync(path, record("appended-to-new"));
    await t.stdout.contains('"appended-to-new"');
  });

  test("filters apply to followed records", async () => {
    writeLog("");
    const t = tail("--request-id", "wanted");
    await t.stderr.contains("Following");
    appendFileSync(path, record("other") + record("wanted") + "not json\n" + record("other-2") + record("wanted", { n: 2 }));
    await t.stdout.until((text) => text.split("\n").length >= 3, "two filtered records");
    expect(t.stdout.text.trim().split("\n").map((l) => (JSON.parse(l) as { request_id: string }).request_id)).toEqual(["wanted", "wanted"]);
  });

  test("a filter that does not apply to the log is a usage error", async () => {
    const r = await home.run(["logs", "tail", "--proxy", "fs", "--type", "operations", "--level", "ERROR"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--level: The level filter does not apply to the operations log");
  });
});
