import { describe, expect, test } from "bun:test";
import { PassThrough } from "node:stream";
import type { InputProblem } from "./decode.ts";
import type { JSONRPCMessage } from "./jsonrpc.ts";
import { StdioFramedTransport } from "./stdio-framed-transport.ts";

function setup(maxMessageBytes?: number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new StdioFramedTransport({ input, output, maxMessageBytes });
  const messages: JSONRPCMessage[] = [];
  const problems: InputProblem[] = [];
  let closed = 0;
  transport.onmessage = (m) => messages.push(m);
  transport.oninvalid = (p) => problems.push(p);
  transport.onclose = () => closed++;
  let out = "";
  output.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const written = (): string => out;
  return { input, output, transport, messages, problems, closed: () => closed, written };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("StdioFramedTransport", () => {
  test("delivers messages and reports bad lines without stopping", async () => {
    const s = setup(256);
    await s.transport.start();
    s.input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\nnot json\n');
    s.input.write(`{"jsonrpc":"2.0","id":2,"method":"x","params":{"t":"${"a".repeat(300)}"}}\n`);
    s.input.write('{"jsonrpc":"2.0","id":3,"method":"ping"}\n');
    await tick();
    expect(s.messages.map((m) => ("id" in m ? m.id : null))).toEqual([1, 3]);
    expect(s.problems.map((p) => [p.kind, p.id])).toEqual([
      ["parse_error", null],
      ["too_large", 2],
    ]);
    expect(s.transport.maxMessageBytes).toBe(256);
  });

  test("writes one JSON line per message", async () => {
    const s = setup();
    await s.transport.start();
    await s.transport.send({ jsonrpc: "2.0", id: 1, result: {} });
    await s.transport.send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    await tick();
    expect(s.written()).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}\n');
  });

  test("end of input reports close once but keeps the output open until close()", async () => {
    const s = setup();
    await s.transport.start();
    s.input.end('{"jsonrpc":"2.0","id":9,"method":"ping"}');
    await tick();
    expect(s.messages).toHaveLength(1); // last line without a newline still counts
    expect(s.closed()).toBe(1);
    await s.transport.send({ jsonrpc: "2.0", id: 9, result: {} });
    await tick();
    expect(s.written()).toContain('"id":9');
    await s.transport.close();
    expect(s.closed()).toBe(1);
    expect(s.transport.send({ jsonrpc: "2.0", id: 10, result: {} })).rejects.toThrow("closed");
  });
});
