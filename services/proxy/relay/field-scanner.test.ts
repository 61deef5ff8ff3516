import { describe, expect, test } from "bun:test";
import { TopLevelFieldScanner } from "./field-scanner.ts";

const encoder = new TextEncoder();

function scan(text: string, chunkSize = text.length || 1) {
  const scanner = new TopLevelFieldScanner();
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.feed(bytes.subarray(i, i + chunkSize));
  return scanner.result();
}

describe("TopLevelFieldScanner", () => {
  test("finds id and method wherever they are, even after a large params", () => {
    const big = "y".repeat(100_000);
    const line = JSON.stringify({ method: "tools/call", params: { name: "echo", arguments: { text: big, id: 999 } }, jsonrpc: "2.0", id: 42 });
    for (const chunk of [1, 7, 4096, line.length]) {
      expect(scan(line, chunk)).toEqual({ root: "object", id: 42, method: "tools/call", hasResultOrError: false });
    }
  });

  test("ignores nested id and method keys", () => {
    const r = scan('{"params":{"id":5,"method":"nested"},"jsonrpc":"2.0"}');
    expect(r.id).toBeUndefined();
    expect(r.method).toBeUndefined();
  });

  test("reads string ids with escapes and keys split across chunks", () => {
    const r = scan('{ "jsonrpc" : "2.0" , "id" : "a\\"b\\\\c" , "method" : "x/y" }', 3);
    expect(r.id).toBe('a"b\\c');
    expect(r.method).toBe("x/y");
  });

  test("does not mistake strings containing quotes, braces or the word id for keys", () => {
    const r = scan('{"params":{"text":"\\"id\\": 7, }{ ]["},"method":"m","id":-3}');
    expect(r).toEqual({ root: "object", id: -3, method: "m", hasResultOrError: false });
  });

  test("marks an invalid id as null and notices responses", () => {
    expect(scan('{"id":1.5,"result":{}}')).toEqual({ root: "object", id: null, method: undefined, hasResultOrError: true });
    expect(scan('{"id":{"a":1},"error":{"code":1}}').id).toBeNull();
    expect(scan('{"id":null,"error":{}}').id).toBeNull();
  });

  test("reports non-object roots", () => {
    expect(scan("[1,2,3]").root).toBe("array");
    expect(scan("hello world").root).toBe("other");
    expect(scan("   ").root).toBe("empty");
  });

  test("a very long id string is not captured", () => {
    const r = scan(`{"id":"${"z".repeat(5000)}","method":"m"}`);
    expect(r.id).toBeNull();
    expect(r.method).toBe("m");
  });
});
