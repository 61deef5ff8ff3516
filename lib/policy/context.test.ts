import { describe, expect, test } from "bun:test";
import { classifyMethod, intentForMethod, resourceTypeForMethod } from "./classify.ts";
import { type ContextInput, buildDecisionContext } from "./context.ts";
import { PolicyError, PolicyErrorCode } from "./errors.ts";
import { extractArgumentPaths } from "./extract-paths.ts";
import { inferOperation } from "./operations.ts";
import { decodeFileUri, normalizePathLexically, normalizeRequestPath, pathExtension } from "./paths.ts";
import { lookupSideEffects } from "./side-effects.ts";

const base: Omit<ContextInput, "method" | "params"> = {
  subject: { id: "alice", provenance: "local" },
  backendId: "fs",
  proxyName: "fs-proxy",
  now: new Date("2025-01-02T03:04:05.000Z"),
};

const call = (name: string, args: unknown, extra: Partial<ContextInput> = {}) =>
  buildDecisionContext({ ...base, method: "tools/call", params: { name, arguments: args }, ...extra });

describe("classification (spec §2)", () => {
  test("discovery methods, including the client's roots notification", () => {
    for (const m of [
      "initialize",
      "ping",
      "tools/list",
      "resources/list",
      "resources/templates/list",
      "prompts/list",
      "notifications/initialized",
      "notifications/cancelled",
      "notifications/progress",
      "notifications/tools/list_changed",
      "notifications/roots/list_changed",
    ]) {
      expect(classifyMethod(m)).toBe("discovery");
    }
  });

  test("everything else is an action, including unknown methods", () => {
    for (const m of ["tools/call", "prompts/get", "resources/read", "resources/subscribe", "completion/complete", "logging/setLevel", "x/custom"]) {
      expect(classifyMethod(m)).toBe("action");
    }
  });

  test("resource type and intent by method", () => {
    expect(resourceTypeForMethod("tools/call")).toBe("tool");
    expect(resourceTypeForMethod("tools/foo")).toBe("server");
    expect(resourceTypeForMethod("resources/read")).toBe("resource");
    expect(resourceTypeForMethod("prompts/get")).toBe("prompt");
    expect(resourceTypeForMethod("completion/complete")).toBe("server");
    expect(intentForMethod("resources/read")).toBe("read");
    expect(intentForMethod("tools/call")).toBeNull();
  });
});

describe("extensions (spec §14.9)", () => {
  test("Python's suffix rule", () => {
    expect(pathExtension("/a/.env")).toBeNull();
    expect(pathExtension("/a/config.prod.json")).toBe(".json");
    expect(pathExtension("Makefile")).toBeNull();
    expect(pathExtension("/a/file.")).toBeNull();
    expect(pathExtension("x.tar.gz")).toBe(".gz");
    expect(pathExtension("/a.d/file")).toBeNull();
    expect(pathExtension("/")).toBeNull();
  });
});

describe("path normalisation", () => {
  test("lexical: slashes, dots and .. collapse; relative paths stay relative", () => {
    expect(normalizePathLexically("/a//b/./c/")).toBe("/a/b/c");
    expect(normalizePathLexically("/a/b/../../../etc")).toBe("/etc");
    expect(normalizePathLexically("a/../../b")).toBe("../b");
    expect(normalizePathLexically("./")).toBe(".");
    expect(normalizePathLexically("/")).toBe("/");
  });

  test("file URIs are percent-decoded; a foreign host or bad encoding is refused", () => {
    expect(decodeFileUri("file:///tmp/a%20b")).toBe("/tmp/a b");
    expect(decodeFileUri("file://localhost/tmp/x?y#z")).toBe("/tmp/x");
    expect(decodeFileUri("file:/tmp/x")).toBe("/tmp/x");
    expect(normalizeRequestPath("file:///tmp/a%2F..%2F..%2Fetc/passwd")).toBe("/etc/passwd");
    expect(() => decodeFileUri("file://evil/etc/passwd")).toThrow(PolicyError);
    expect(() => decodeFileUri("file:///tmp/%E0%A4%A")).toThrow(PolicyError);
  });

  test("NUL is refused, even when percent-encoded", () => {
    for (const bad of ["/tmp/a\0b", "file:///tmp/a%00b"]) {
      try {
        normalizeRequestPath(bad);
        throw new Error("expected rejection");
      } catch (error) {
        expect((error as PolicyError).code).toBe(PolicyErrorCode.ContextBuild);
      }
    }
  });

  test("~ and relative paths are resolved only when the options say how", () => {
    expect(normalizeRequestPath("~/x/../y", { homeDir: "/home/al" })).toBe("/home/al/y");
    expect(normalizeRequestPath("~", { homeDir: "/home/al" })).toBe("/home/al");
    expect(normalizeRequestPath("~bob/x", { homeDir: "/home/al" })).toBe("~bob/x");
    expect(normalizeRequestPath("~/x")).toBe("~/x");
    expect(normalizeRequestPath("src/../a.ts", { cwd: "/work" })).toBe("/work/a.ts");
    expect(normalizeRequestPath("src/../a.ts")).toBe("a.ts");
  });
});

describe("path extraction from tool arguments (spec §3.1, widened)", () => {
  test("generic keys win over source, which wins over destination", () => {
    const ctx = call("copy_file", { destination: "/d", source: "/s", file_path: "/g" });
    expect(ctx.resource.path).toBe("/g");
    expect(ctx.resource.sourcePath).toBe("/s");
    expect(ctx.resource.destPath).toBe("/d");
    expect(ctx.resource.paths).toEqual(["/g", "/s", "/d"]);
    expect(call("x", { to: "/d", from: "/s" }).resource.path).toBe("/s");
    expect(call("x", { target: "/d" }).resource.path).toBe("/d");
  });

  test("a move fills both source and destination, normalised", () => {
    const ctx = call("move_file", { source: "/a/./x", destination: "/b/../c/y" });
    expect(ctx.resource.sourcePath).toBe("/a/x");
    expect(ctx.resource.destPath).toBe("/c/y");
    expect(ctx.resource.targets).toEqual([
      { path: "/a/x", extension: null, sourcePath: "/a/x", destPath: "/c/y" },
      { path: "/c/y", extension: null, sourcePath: "/a/x", destPath: "/c/y" },
    ]);
  });

  test("`..` is collapsed in every path, including the destination", () => {
    const ctx = call("write_file", { path: "/tmp/a/../b.txt", dest: "/x/y/../../etc/z" });
    expect(ctx.resource.path).toBe("/tmp/b.txt");
    expect(ctx.resource.destPath).toBe("/etc/z");
    expect(ctx.resource.filename).toBe("b.txt");
    expect(ctx.resource.parentDir).toBe("/tmp");
    expect(ctx.resource.extension).toBe(".txt");
  });

  test("a uri argument is ignored unless it is a file: URI", () => {
    expect(call("fetch", { uri: "https://example.test/a" }).resource.paths).toEqual([]);
    expect(call("fetch", { uri: "file:///tmp/a%20b.md" }).resource.paths).toEqual(["/tmp/a b.md"]);
  });

  test("paths arrays, one level of nesting, and file: values anywhere at those levels", () => {
    const ctx = call("read_multiple_files", {
      paths: ["/a/1", "/a/2", "", 7],
      options: { path: "/nested/p", deeper: { path: "/too/deep" } },
      files: [{ file: "/in/array" }],
      note: "file:///tmp/note.txt",
    });
    expect(ctx.resource.paths).toEqual(["/a/1", "/a/2", "/tmp/note.txt", "/nested/p", "/in/array"]);
  });

  test("no path-like argument means no resource path", () => {
    const ctx = call("bash", { command: "cat /etc/passwd" });
    expect(ctx.resource.path).toBeNull();
    expect(ctx.resource.targets).toEqual([]);
  });

  test("duplicates are removed; the primary path comes first", () => {
    expect(call("x", { path: "/a", source: "/a/", dest: "/b" }).resource.paths).toEqual(["/a", "/b"]);
  });

  test("non-object arguments yield nothing", () => {
    expect(extractArgumentPaths(["/a"])).toEqual({ generic: [], source: [], dest: [] });
    expect(extractArgumentPaths(null)).toEqual({ generic: [], source: [], dest: [] });
  });

  test("a NUL in any path fails the context build", () => {
    expect(() => call("x", { paths: ["/ok", "/bad\0"] })).toThrow(PolicyError);
  });
});

describe("resource and prompt requests (spec §14.11)", () => {
  test("a file:// read fills scheme, path and extension", () => {
    const ctx = buildDecisionContext({ ...base, method: "resources/read", params: { uri: "file:///home/al/Notes%20Dir/todo.MD" } });
    expect(ctx.resource.type).toBe("resource");
    expect(ctx.resource.scheme).toBe("file");
    expect(ctx.resource.path).toBe("/home/al/Notes Dir/todo.MD");
    expect(ctx.resource.extension).toBe(".MD");
    expect(ctx.resource.tool).toBeNull();
    expect(ctx.action).toEqual({ mcpMethod: "resources/read", name: "resources.read", intent: "read", category: "action" });
  });

  test("https: and s3: reads fill the scheme only", () => {
    for (const [uri, scheme] of [
      ["HTTPS://example.test/a.json", "https"],
      ["s3://bucket/key.txt", "s3"],
    ] as const) {
      const ctx = buildDecisionContext({ ...base, method: "resources/read", params: { uri } });
      expect(ctx.resource.scheme).toBe(scheme);
      expect(ctx.resource.uri).toBe(uri);
      expect(ctx.resource.path).toBeNull();
      expect(ctx.resource.targets).toEqual([]);
    }
  });

  test("prompts/get has type prompt, no tool and no path", () => {
    const ctx = buildDecisionContext({ ...base, method: "prompts/get", params: { name: "summarise", arguments: { path: "/x" } } });
    expect(ctx.resource.type).toBe("prompt");
    expect(ctx.resource.tool).toBeNull();
    expect(ctx.resource.path).toBeNull();
  });
});

describe("tool attributes and environment", () => {
  test("tool, subject, backend and environment fields", () => {
    const ctx = call("Write_File", { path: "/a" }, { requestId: 7, sessionId: "s1", clientName: "claude", clientVersion: "1.0" });
    expect(ctx.resource.tool?.name).toBe("Write_File");
    expect(ctx.resource.tool?.operation).toBe("write");
    expect([...(ctx.resource.tool?.sideEffects ?? [])]).toEqual(["fs_write"]);
    expect(ctx.resource.serverId).toBe("fs");
    expect(ctx.subject.id).toBe("alice");
    expect(ctx.environment).toEqual({
      timestamp: "2025-01-02T03:04:05.000Z",
      requestId: "7",
      sessionId: "s1",
      mcpClientName: "claude",
      mcpClientVersion: "1.0",
      proxyInstance: "fs-proxy",
    });
  });

  test("missing ids become 'unknown'; a call without a name has no tool", () => {
    const ctx = buildDecisionContext({ ...base, method: "tools/call", params: { arguments: { path: "/a" } } });
    expect(ctx.resource.tool).toBeNull();
    expect(ctx.resource.type).toBe("tool");
    expect(ctx.environment.requestId).toBe("unknown");
    expect(ctx.environment.sessionId).toBe("unknown");
  });
});

describe("side effects (spec §3.3)", () => {
  test("lookup ignores case but needs the exact name; unknown is null", () => {
    expect([...(lookupSideEffects("BASH") ?? [])].sort()).toEqual(["code_exec", "fs_read", "fs_write", "network_egress", "process_spawn"]);
    expect(lookupSideEffects("bash2")).toBeNull();
    expect(lookupSideEffects("my_tool")).toBeNull();
    expect([...(lookupSideEffects("send_email") ?? [])]).toEqual(["email_send", "network_egress"]);
  });

  test("server: and server__ prefixes are stripped before lookup", () => {
    expect(lookupSideEffects("fs__read_file")).toEqual(lookupSideEffects("read_file"));
    expect(lookupSideEffects("github:Bash")).toEqual(lookupSideEffects("bash"));
    const ctx = call("mcp__shell__bash", {});
    expect(ctx.resource.tool?.sideEffectsKnown).toBe(true);
    expect(call("frobnicate", {}).resource.tool?.sideEffectsKnown).toBe(false);
  });
});

describe("operation inference (spec §5.3 with the word-based fix)", () => {
  test("one example per class", () => {
    expect(inferOperation("read_file")).toBe("read");
    expect(inferOperation("write_file")).toBe("write");
    expect(inferOperation("delete_file")).toBe("delete");
  });

  test("delete is checked before write before read", () => {
    expect(inferOperation("drop_list")).toBe("delete");
    expect(inferOperation("delete_get_x")).toBe("delete");
    expect(inferOperation("get_and_update")).toBe("write");
  });

  test("words split on separators and camelCase, not on substrings", () => {
    expect(inferOperation("readFile")).toBe("read");
    expect(inferOperation("createHTMLPage")).toBe("write");
    expect(inferOperation("remove-branch")).toBe("delete");
    expect(inferOperation("offset_getter")).toBeNull();
    expect(inferOperation("readfile")).toBeNull();
    expect(inferOperation("get")).toBe("read");
    expect(inferOperation("fs__delete_file")).toBe("delete");
    expect(inferOperation("frobnicate")).toBeNull();
  });
});
