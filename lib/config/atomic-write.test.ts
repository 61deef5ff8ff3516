import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.ts";
import { ConfigError, ConfigErrorCode } from "./errors.ts";
import { formatJson } from "./format-json.ts";

const scratch = mkdtempSync(join(tmpdir(), "mcp-acp-atomic-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function freshDir(): string {
  const dir = join(scratch, `d${counter++}`);
  mkdirSync(dir);
  return dir;
}

function catchConfigError(fn: () => void): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("writeFileAtomic", () => {
  test("creates a new file with mode 0600 and the exact content", () => {
    const dir = freshDir();
    const file = join(dir, "a.json");
    writeFileAtomic(file, "héllo\n");
    expect(readFileSync(file, "utf8")).toBe("héllo\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });

  test("replaces an existing wider file and tightens it to 0600", () => {
    const dir = freshDir();
    const file = join(dir, "a.json");
    writeFileSync(file, "old");
    chmodSync(file, 0o644);
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("applies an explicit mode exactly, regardless of the umask", () => {
    const dir = freshDir();
    const file = join(dir, "b");
    writeFileAtomic(file, "x", 0o640);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  test("a failed rename keeps the target as it was and leaves no temp file", () => {
    const dir = freshDir();
    const target = join(dir, "busy");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "k"); // a non-empty directory cannot be replaced by rename
    const error = catchConfigError(() => writeFileAtomic(target, "new"));
    expect(error.code).toBe(ConfigErrorCode.WriteFailed);
    expect(error.path).toBe(target);
    expect(error.message).toStartWith(`Failed to write ${target}: `);
    expect(error.message).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(["busy"]);
    expect(readFileSync(join(target, "keep"), "utf8")).toBe("k");
  });

  test("a missing directory fails with the path and the OS error", () => {
    const target = join(scratch, "no-such-dir", "x.json");
    const error = catchConfigError(() => writeFileAtomic(target, "x"));
    expect(error.code).toBe(ConfigErrorCode.WriteFailed);
    expect(error.message).toContain(target);
    expect(error.message).toContain("ENOENT");
  });

  test("a file where the directory should be fails with ENOTDIR", () => {
    const dir = freshDir();
    writeFileSync(join(dir, "notadir"), "f");
    const target = join(dir, "notadir", "x.json");
    const error = catchConfigError(() => writeFileAtomic(target, "x"));
    expect(error.code).toBe(ConfigErrorCode.WriteFailed);
    expect(error.message).toContain("ENOTDIR");
    expect(readdirSync(dir)).toEqual(["notadir"]);
  });

  test("a write that fails half-way (file size limit) leaves the old file intact and no temp file", async () => {
    const dir = freshDir();
    const target = join(dir, "config.json");
    const old = formatJson({ keep: "me" });
    writeFileSync(target, old, { mode: 0o600 });
    const child = join(import.meta.dir, "testdata", "atomic-write-child.ts");
    // ulimit -f 1 caps files at 1 KiB; with SIGXFSZ ignored the second write() fails with EFBIG.
    const proc = Bun.spawn(["bash", "-c", `ulimit -f 1; trap '' XFSZ; exec "$0" "$@"`, process.execPath, child, target, "100000"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(out) as { ok: boolean; code?: string; message?: string; path?: string };
    expect(result.ok).toBe(false);
    expect(result.code).toBe(ConfigErrorCode.WriteFailed);
    expect(result.path).toBe(target);
    expect(result.message).toContain("EFBIG");
    expect(readFileSync(target, "utf8")).toBe(old);
    expect(readdirSync(dir)).toEqual(["config.json"]);
  });

  test("the same child succeeds without the limit (the limit is what made it fail)", async () => {
    const dir = freshDir();
    const target = join(dir, "config.json");
    const child = join(import.meta.dir, "testdata", "atomic-write-child.ts");
    const proc = Bun.spawn([process.execPath, child, target, "100000"], { stdout: "pipe", stderr: "pipe" });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(0);
    expect(JSON.parse(out)).toEqual({ ok: true });
    expect(statSync(target).size).toBe(100000);
  });
});

describe("formatJson", () => {
  test("two-space indentation and a trailing newline", () => {
    expect(formatJson({ a: [1], b: { c: "d" } })).toBe('{\n  "a": [\n    1\n  ],\n  "b": {\n    "c": "d"\n  }\n}\n');
  });
});
