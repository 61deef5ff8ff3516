import { expect, test } from "bun:test";
import { editorArgv, editorCommand } from "./editor.ts";

test("EDITOR, then VISUAL, then vi", () => {
  expect(editorCommand({ EDITOR: "nano", VISUAL: "code -w" })).toBe("nano");
  expect(editorCommand({ EDITOR: " ", VISUAL: "code -w" })).toBe("code -w");
  expect(editorCommand({})).toBe(process.platform === "win32" ? "notepad" : "vi");
});

test("POSIX editors run through sh with the file as $1, never interpolated", () => {
  expect(editorArgv("code -w", "/tmp/a b'c.json", "linux")).toEqual(["/bin/sh", "-c", 'code -w "$1"', "editor", "/tmp/a b'c.json"]);
  expect(editorArgv("code -w", "C:\\x.json", "win32")).toEqual(["code", "-w", "C:\\x.json"]);
});
