// Helpers for this folder's tests: a fresh MCP_ACP_HOME per test file, and real chained logs
// written with the real sealer. Not exported from index.ts.

import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HOME_ENV_VAR, proxyLogDir, resolveAppPaths } from "../paths/index.ts";
import { type ChainHead, sealRecord } from "./chain.ts";
import type { JsonObject } from "./canonical-json.ts";
import type { IntegrityStateInput } from "./state-store.ts";

export interface TempHome {
  home: string;
  /** A proxy's log dir (PLD) under the temp home. */
  logDir: string;
  cleanup(): void;
}

/** Points MCP_ACP_HOME at a new temp folder; cleanup() restores the variable and deletes it. */
export function useTempHome(proxyName = "test-proxy"): TempHome {
  const previous = process.env[HOME_ENV_VAR];
  const home = mkdtempSync(join(tmpdir(), "mcp-acp-audit-"));
  process.env[HOME_ENV_VAR] = home;
  const paths = resolveAppPaths();
  const logDir = proxyLogDir(paths.defaultLogBase, proxyName);
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  return {
    home,
    logDir,
    cleanup() {
      if (previous === undefined) delete process.env[HOME_ENV_VAR];
      else process.env[HOME_ENV_VAR] = previous;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function samplePayload(i: number): JsonObject {
  return {
    session_id: `sess-${i % 7}`,
    request_id: String(i),
    method: "tools/call",
    status: i % 5 === 0 ? "Failure" : "Success",
    subject: { subject_id: "alice" },
    backend_id: "filesystem",
    tool_name: "read_file",
    file_path: `/home/alice/notes-${i}.txt`,
    duration: { duration_ms: 1.25 + i },
  };
}

export interface WrittenChain {
  path: string;
  head: ChainHead;
  lines: string[];
}

/** Appends `count` sealed records after `from` to the file (created with its directory). */
export function writeChain(path: string, count: number, from: ChainHead | null = null, payload: (i: number) => JsonObject = samplePayload): WrittenChain {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let head = from;
  const lines: string[] = [];
  const start = from?.sequence ?? 0;
  for (let i = 0; i < count; i++) {
    const sealed = sealRecord(payload(start + i + 1), head, { time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, start + i)) });
    lines.push(sealed.line);
    head = sealed.head;
  }
  appendFileSync(path, lines.join(""), { mode: 0o600 });
  return { path, head: head ?? { sequence: 0, lastHash: "GENESIS" }, lines };
}

/** The file's lines without their newlines (a final unterminated fragment included). */
export function readLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Rewrites the file from lines, each ending in \n (same inode). */
export function writeLines(path: string, lines: readonly string[]): void {
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
}

/** The state row the writer would record for a file whose last record is `head`. */
export function stateFor(fileKey: string, path: string, head: ChainHead): IntegrityStateInput {
  const stats = statSync(path, { bigint: true });
  const text = readFileSync(path);
  const lastStart = text.lastIndexOf(0x0a, text.length - 2) + 1;
  return { fileKey, sequence: head.sequence, lastHash: head.lastHash, inode: stats.ino.toString(), device: stats.dev.toString(), size: Number(stats.size), offset: lastStart };
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}
