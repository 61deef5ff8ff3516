import { describe, expect, test } from "bun:test";
import { compilePathGlob, pathGlobToRegExp, shellGlobToRegExp } from "./glob.ts";
import { pathGlobList, shellGlobList } from "./matchers.ts";

const pathMatches = (pattern: string, value: string, ignoreCase = false) => pathGlobList([pattern], ignoreCase)(value);
const shellMatches = (pattern: string, value: string) => shellGlobToRegExp(pattern).test(value);

describe("path glob (spec §5.2)", () => {
  test("a trailing /** matches the directory itself, with or without slash, and below it", () => {
    expect(pathMatches("/tmp/**", "/tmp")).toBe(true);
    expect(pathMatches("/tmp/**", "/tmp/")).toBe(true);
    expect(pathMatches("/tmp/**", "/tmp/a/b")).toBe(true);
    expect(pathMatches("/tmp/**", "/tmpX")).toBe(false);
    expect(pathMatches("/project/**", "/project")).toBe(true);
    expect(pathMatches("/project/**", "/project/")).toBe(true);
    expect(pathMatches("/project/**", "/projectX")).toBe(false);
  });

  test("** in the middle crosses segments but needs its slashes", () => {
    expect(pathMatches("a/**/b", "a/b")).toBe(false);
    expect(pathMatches("a/**/b", "a/x/y/b")).toBe(true);
    expect(pathMatches("**/*.key", "/secrets.key")).toBe(true);
    expect(pathMatches("**/*.key", "/deep/dir/secrets.key")).toBe(true);
    expect(pathMatches("**/*.key", "secrets.key")).toBe(false);
    expect(pathMatches("**/secrets/**", "/secrets/key")).toBe(true);
  });

  test("* and ? stay inside one segment", () => {
    expect(pathMatches("*", "dir/file")).toBe(false);
    expect(pathMatches("*", "file")).toBe(true);
    expect(pathMatches("/tmp/*.txt", "/tmp/a.txt")).toBe(true);
    expect(pathMatches("/tmp/*.txt", "/tmp/sub/a.txt")).toBe(false);
    expect(pathMatches("/tmp/file?.txt", "/tmp/file1.txt")).toBe(true);
    expect(pathMatches("/tmp/file?.txt", "/tmp/file12.txt")).toBe(false);
    expect(pathMatches("/tmp/?", "/tmp//")).toBe(false);
  });

  test("? matches one code point, including astral characters", () => {
    expect(pathMatches("/tmp/?.txt", "/tmp/😀.txt")).toBe(true);
  });

  test("dots are literal, not 'any character'", () => {
    expect(pathMatches("/a/file.txt", "/a/fileXtxt")).toBe(false);
    expect(pathMatches("/a/*.env", "/a/x.env")).toBe(true);
    expect(pathMatches("/a/*.env", "/a/xyenv")).toBe(false);
  });

  test("the pattern / matches nothing; trailing slashes on the pattern are ignored", () => {
    expect(pathGlobToRegExp("/")).toBeNull();
    expect(pathGlobToRegExp("///")).toBeNull();
    expect(pathMatches("/", "/")).toBe(false);
    expect(pathMatches("/", "/etc")).toBe(false);
    expect(pathMatches("/etc/", "/etc")).toBe(true);
    expect(pathMatches("/etc/", "/etc/")).toBe(true);
  });

  test("matching is case-sensitive unless folding is asked for", () => {
    expect(pathMatches("/Secret/**", "/secret/a")).toBe(false);
    expect(pathMatches("/Secret/**", "/secret/a", true)).toBe(true);
    expect(pathMatches("/secret/*.KEY", "/SECRET/a.key", true)).toBe(true);
  });

  test("brackets, backslashes and other regex characters are literal", () => {
    expect(pathMatches("/a/[ab].txt", "/a/[ab].txt")).toBe(true);
    expect(pathMatches("/a/[ab].txt", "/a/a.txt")).toBe(false);
    expect(pathMatches("/a/\\d", "/a/\\d")).toBe(true);
    expect(pathMatches("/a/\\d", "/a/5")).toBe(false);
    for (const special of ["+", "(", ")", "{", "}", "|", "^", "$"]) {
      expect(pathMatches(`/a/x${special}y`, `/a/x${special}y`)).toBe(true);
    }
    expect(pathMatches("/a/x+", "/a/xx")).toBe(false);
    expect(pathMatches("/a/(x|y)", "/a/x")).toBe(false);
  });

  test("a newline in the value cannot slip past ** (dotAll)", () => {
    expect(pathMatches("/tmp/**", "/tmp/a\nb")).toBe(true);
    expect(pathMatches("/etc/**", "/etc/pass\nwd")).toBe(true);
  });

  test("the literal prefix covers everything before the first wildcard", () => {
    expect(compilePathGlob("/a/b/**")?.prefix).toBe("/a/b");
    expect(compilePathGlob("/a/b*/c")?.prefix).toBe("/a/b");
    expect(compilePathGlob("**/x")?.prefix).toBe("");
    expect(compilePathGlob("/a/b/c.txt")?.prefix).toBe("/a/b/c.txt");
  });
});

describe("shell glob (spec §5.3)", () => {
  test("* crosses / and matches the empty string", () => {
    expect(shellMatches("resources/*", "resources/templates/list")).toBe(true);
    expect(shellMatches("*", "")).toBe(true);
    expect(shellMatches("tools/*", "tools/call")).toBe(true);
  });

  test("? is exactly one character", () => {
    expect(shellMatches("ba?h", "bash")).toBe(true);
    expect(shellMatches("ba?h", "bah")).toBe(false);
    expect(shellMatches("ba?h", "baash")).toBe(false);
  });

  test("character classes, negation and ranges", () => {
    expect(shellMatches("[rw]rite", "write")).toBe(true);
    expect(shellMatches("[rw]rite", "xrite")).toBe(false);
    expect(shellMatches("[!rw]rite", "xrite")).toBe(true);
    expect(shellMatches("[!rw]rite", "write")).toBe(false);
    expect(shellMatches("file[0-9]", "file7")).toBe(true);
    expect(shellMatches("file[0-9]", "filex")).toBe(false);
    expect(shellMatches("[]]x", "]x")).toBe(true);
    expect(shellMatches("[z-a]", "m")).toBe(false);
  });

  test("an unclosed [ is literal", () => {
    expect(shellMatches("a[b", "a[b")).toBe(true);
    expect(shellMatches("a[b", "ab")).toBe(false);
  });

  test("regex characters are escaped and the match is anchored", () => {
    expect(shellMatches("a.b", "axb")).toBe(false);
    expect(shellMatches("a+", "aa")).toBe(false);
    expect(shellMatches("bash", "bash2")).toBe(false);
    expect(shellMatches("bash", "xbash")).toBe(false);
    expect(shellMatches("a\\b", "a\\b")).toBe(true);
  });

  test("case folding works for literals and wildcards (value lowercased by the caller)", () => {
    const tools = shellGlobList(["READ_*", "Bash"], true);
    expect(tools("read_file")).toBe(true);
    expect(tools("bash")).toBe(true);
    expect(tools("write_file")).toBe(false);
    const methods = shellGlobList(["Tools/call"], false);
    expect(methods("tools/call")).toBe(false);
    expect(methods("Tools/call")).toBe(true);
  });
});
