import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { describe, expect, test } from "bun:test";
import { buildClientSnippet, claudeDesktopConfigPath, currentLauncher, formatSnippet } from "./client-snippet.ts";

describe("buildClientSnippet", () => {
  test("one entry per proxy, launcher args before 'start --proxy <name>'", () => {
    const snippet = buildClientSnippet(["fs", "web"], { command: "/opt/bun", entryArgs: ["/app/cli/main.ts"] });
    expect(snippet).toEqual({
      mcpServers: {
        fs: { command: "/opt/bun", args: ["/app/cli/main.ts", "start", "--proxy", "fs"] },
        web: { command: "/opt/bun", args: ["/app/cli/main.ts", "start", "--proxy", "web"] },
      },
    });
    expect(JSON.parse(formatSnippet(snippet))).toEqual(snippet);
  });

  test("the current launcher uses absolute paths that exist", () => {
    const launcher = currentLauncher();
    expect(isAbsolute(launcher.command)).toBe(true);
    expect(existsSync(launcher.command)).toBe(true);
    const entry = launcher.entryArgs[0] ?? "";
    expect(entry.endsWith("/cli/main.ts")).toBe(true);
    expect(existsSync(entry)).toBe(true);
  });
});

test("claudeDesktopConfigPath per platform", () => {
  expect(claudeDesktopConfigPath("linux", { HOME: "/h" })).toBe("/h/.config/Claude/claude_desktop_config.json");
  expect(claudeDesktopConfigPath("linux", { HOME: "/h", XDG_CONFIG_HOME: "/x" })).toBe("/x/Claude/claude_desktop_config.json");
  expect(claudeDesktopConfigPath("darwin", { HOME: "/h" })).toBe("/h/Library/Application Support/Claude/claude_desktop_config.json");
});
