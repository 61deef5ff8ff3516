import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compilePolicy } from "./compile.ts";
import { buildDecisionContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { checkProtectedContext, checkProtectedPaths, createAncestorRealpath, isWithinDir } from "./protected-paths.ts";
import { validatePolicy } from "./validate.ts";

const CONFIG = "/home/al/.config/mcp-acp";
const LOGS = "/home/al/.local/state/mcp-acp/proxies";

// An in-memory filesystem view: symlinks map prefixes, everything else resolves to itself.
function fakeRealpath(links: Record<string, string>): (p: string) => string {
  return (p) => {
    for (const [link, target] of Object.entries(links)) {
      if (p === link || p.startsWith(`${link}/`)) return target + p.slice(link.length);
    }
    return p;
  };
}

const options = (links: Record<string, string> = {}, extra = {}) => ({
  protectedDirs: [CONFIG, LOGS],
  realpath: fakeRealpath(links),
  ...extra,
});

describe("protected paths with an injected realpath (spec §14.12)", () => {
  test("the directory itself, a nested path and a .. that stays inside are protected", () => {
    for (const p of [CONFIG, `${CONFIG}/`, `${CONFIG}/policy.json`, `${LOGS}/fs/audit/x.jsonl`, `${CONFIG}/a/../policy.json`]) {
      expect(checkProtectedPaths([p], options())).toMatchObject({ protected: true, path: p });
    }
  });

  test("a symlink pointing into a protected directory is protected", () => {
    const v = checkProtectedPaths(["/tmp/innocent/policy.json"], options({ "/tmp/innocent": CONFIG }));
    expect(v).toMatchObject({ protected: true, dir: CONFIG });
    if (v.protected) expect(v.reason).toContain(`${CONFIG}/policy.json`);
  });

  test("a sibling with the same prefix, a .. that escapes and no paths are not protected", () => {
    expect(checkProtectedPaths([`${CONFIG}X/file`], options())).toEqual({ protected: false });
    expect(checkProtectedPaths([`${CONFIG}/../other/file`], options())).toEqual({ protected: false });
    expect(checkProtectedPaths([], options())).toEqual({ protected: false });
  });

  test("every path is checked, not only the first", () => {
    expect(checkProtectedPaths(["/tmp/a", "/tmp/b", `${LOGS}/x`], options())).toMatchObject({ protected: true, path: `${LOGS}/x` });
  });

  test("the lexical form counts even when realpath points elsewhere", () => {
    expect(checkProtectedPaths([`${CONFIG}/x`], options({ [CONFIG]: "/elsewhere" }))).toMatchObject({ protected: true });
  });

  test("a path that cannot be resolved is refused (fail closed)", () => {
    const v = checkProtectedPaths(["/tmp/x"], {
      protectedDirs: [CONFIG],
      realpath: () => {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      },
    });
    expect(v).toMatchObject({ protected: true, dir: null });
    if (v.protected) expect(v.reason).toContain("EACCES");
  });

  test("relative paths are judged against the given working directory", () => {
    const cwd = "/home/al/.config";
    expect(checkProtectedPaths(["mcp-acp/policy.json"], options({}, { cwd }))).toMatchObject({ protected: true });
    expect(checkProtectedPaths(["other/x"], options({}, { cwd }))).toEqual({ protected: false });
  });

  test("case-insensitive comparison behind a switch", () => {
    expect(checkProtectedPaths(["/HOME/al/.config/MCP-ACP/p"], options())).toEqual({ protected: false });
    expect(checkProtectedPaths(["/HOME/al/.config/MCP-ACP/p"], options({}, { caseInsensitive: true }))).toMatchObject({ protected: true });
  });

  test("isWithinDir handles trailing slashes and the root", () => {
    expect(isWithinDir("/a/b", "/a/")).toBe(true);
    expect(isWithinDir("/ab", "/a")).toBe(false);
    expect(isWithinDir("/anything", "/")).toBe(true);
  });

  test("every path of a context is checked, before and regardless of an allow-all policy", () => {
    const snapshot = compilePolicy(validatePolicy({ rules: [{ effect: "allow", conditions: { mcp_method: "*" } }] }), { version: "v" });
    const ctx = buildDecisionContext({
      method: "tools/call",
      params: { name: "move_file", arguments: { source: "/tmp/a", destination: `file://${CONFIG}/policy.json` } },
      subject: { id: "alice", provenance: "local" },
      backendId: "fs",
      proxyName: "fs",
    });
    expect(evaluate(snapshot, ctx).effect).toBe("allow");
    expect(checkProtectedContext(ctx, options())).toMatchObject({ protected: true, path: `${CONFIG}/policy.json` });
  });
});

describe("protected paths on a real filesystem", () => {
  let root = "";
  let protectedDir = "";
  let check: (p: string) => ReturnType<typeof checkProtectedPaths>;

  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "mcp-acp-protected-")));
    protectedDir = join(root, "config");
    mkdirSync(protectedDir);
    writeFileSync(join(protectedDir, "policy.json"), "{}");
    mkdirSync(join(root, "work"));
    symlinkSync(protectedDir, join(root, "work", "cfg-link"));
    symlinkSync(join(protectedDir, "not-yet-created.json"), join(root, "work", "dangling"));
    symlinkSync("../config", join(root, "work", "relative-link"));
    const realpath = createAncestorRealpath({
      realpath: (p) => realpathSync.native(p),
      readlink: (p) => {
        try {
          return readlinkSync(p);
        } catch {
          return null;
        }
      },
    });
    check = (p) => checkProtectedPaths([p], { protectedDirs: [protectedDir], realpath });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test("existing files inside, and through a symlinked directory", () => {
    expect(check(join(protectedDir, "policy.json")).protected).toBe(true);
    expect(check(join(root, "work", "cfg-link", "policy.json")).protected).toBe(true);
    expect(check(join(root, "work", "relative-link", "policy.json")).protected).toBe(true);
  });

  test("a file that does not exist yet resolves through its nearest existing ancestor", () => {
    expect(check(join(root, "work", "cfg-link", "new", "deep", "file.json")).protected).toBe(true);
    expect(check(join(root, "work", "new", "file.json")).protected).toBe(false);
  });

  test("a dangling symlink whose target would be created inside is protected", () => {
    expect(check(join(root, "work", "dangling")).protected).toBe(true);
  });

  test("a sibling directory with the same prefix is not protected", () => {
    mkdirSync(join(root, "configX"), { recursive: true });
    expect(check(join(root, "configX", "a")).protected).toBe(false);
  });

  test("a symlink loop is refused", () => {
    symlinkSync(join(root, "work", "loop-b"), join(root, "work", "loop-a"));
    symlinkSync(join(root, "work", "loop-a"), join(root, "work", "loop-b"));
    const v = check(join(root, "work", "loop-a", "x"));
    expect(v.protected).toBe(true);
    if (v.protected) expect(v.dir).toBeNull();
  });
});
