import { describe, expect, test } from "bun:test";
import { decodeLine, formatBytes, oversizedProblem } from "./decode.ts";

function problem(text: string) {
  const r = decodeLine(text, text.length);
  if (r.ok) throw new Error(`expected a problem for ${text}`);
  return r.problem;
}

describe("decodeLine", () => {
  test("accepts requests, notifications and responses, keeping unknown fields and key order", () => {
    const text = '{"method":"future/thing","params":{"x":[1,{"y":null}],"_meta":{"k":"v"}},"jsonrpc":"2.0","id":"a","extension":true}';
    const r = decodeLine(text, text.length);
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.stringify(r.message)).toBe(text);
    for (const ok of [
      '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}',
      '{"jsonrpc":"2.0","id":3,"result":{}}',
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}',
      '{"jsonrpc":"2.0","error":{"code":-32700,"message":"x"}}',
    ]) {
      expect(decodeLine(ok, ok.length).ok).toBe(true);
    }
  });

  test("not JSON → -32700 answered with id null", () => {
    const p = problem("hello, are you there?");
    expect(p.kind).toBe("parse_error");
    expect(p.code).toBe(-32700);
    expect(p.id).toBeNull();
    expect(p.answer).toBe(true);
    expect(p.reason).toStartWith("Parse error:");
  });

  test("JSON that is not JSON-RPC → -32600, with the id when it is readable", () => {
    expect(problem("42")).toMatchObject({ code: -32600, id: null, answer: true });
    expect(problem('{"id":7,"method":"ping"}')).toMatchObject({ code: -32600, id: 7, answer: true });
    expect(problem('{"jsonrpc":"2.0","id":7,"method":12}')).toMatchObject({ code: -32600, id: 7, answer: true });
    expect(problem('{"jsonrpc":"2.0","id":1.5,"method":"ping"}')).toMatchObject({ code: -32600, id: null, answer: true });
    expect(problem('{"jsonrpc":"2.0","id":{},"method":"ping"}')).toMatchObject({ code: -32600, id: null });
    expect(problem('{"jsonrpc":"2.0","id":2,"method":"x","params":[1]}')).toMatchObject({ code: -32600, id: 2 });
    expect(problem('{"jsonrpc":"2.0","id":2}')).toMatchObject({ code: -32600, id: 2, answer: true });
    expect(problem('[{"jsonrpc":"2.0","id":1,"method":"ping"}]')).toMatchObject({ kind: "batch", code: -32600, id: null });
  });

  test("never answers an invalid notification or response", () => {
    expect(problem('{"jsonrpc":"2.0","method":"n","params":"x"}').answer).toBe(false);
    expect(problem('{"jsonrpc":"2.0","id":1,"result":[]}').answer).toBe(false);
    expect(problem('{"jsonrpc":"2.0","id":1,"error":{"code":"x"}}').answer).toBe(false);
    expect(problem('{"jsonrpc":"1.0","id":1,"result":{}}').answer).toBe(false);
  });

  test("previews are short and single-line", () => {
    const p = problem(`not json\n${"z".repeat(1000)}`);
    expect(p.preview.length).toBeLessThanOrEqual(121);
    expect(p.preview).not.toContain("\n");
  });
});

describe("oversizedProblem", () => {
  test("answers requests and unknown shapes, not notifications or responses", () => {
    const base = { root: "object" as const, hasResultOrError: false };
    const request = oversizedProblem(10 * 1024 * 1024, 4 * 1024 * 1024, { ...base, id: 4, method: "tools/call" });
    expect(request).toMatchObject({ kind: "too_large", code: -32600, id: 4, method: "tools/call", answer: true });
    expect(request.reason).toContain("10 MiB");
    expect(request.reason).toContain("4 MiB");
    expect(oversizedProblem(9, 8, { ...base, id: undefined, method: "notifications/x" }).answer).toBe(false);
    expect(oversizedProblem(9, 8, { root: "object", id: 3, method: undefined, hasResultOrError: true }).answer).toBe(false);
    expect(oversizedProblem(9, 8, { root: "other", id: undefined, method: undefined, hasResultOrError: false })).toMatchObject({ id: null, answer: true });
  });

  test("formatBytes", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(4 * 1024 * 1024)).toBe("4 MiB");
  });
});
