import { describe, expect, test } from "bun:test";
import { type FrameEvent, LineFramer } from "./line-framer.ts";

const encoder = new TextEncoder();

function frame(framer: LineFramer, ...chunks: string[]): FrameEvent[] {
  const events: FrameEvent[] = [];
  for (const c of chunks) framer.push(encoder.encode(c), (e) => events.push(e));
  return events;
}

describe("LineFramer", () => {
  test("splits lines across and within chunks, strips CR, skips blank lines", () => {
    const framer = new LineFramer(1024);
    const events = frame(framer, '{"a":1}\n{"b"', ':2}\r\n\n  \n{"c":3}\n{"d"');
    expect(events).toEqual([
      { kind: "line", text: '{"a":1}', bytes: 7 },
      { kind: "line", text: '{"b":2}', bytes: 7 },
      { kind: "line", text: '{"c":3}', bytes: 7 },
    ]);
    expect(framer.bufferedBytes).toBe(4);
    const tail: FrameEvent[] = [];
    framer.end((e) => tail.push(e));
    expect(tail).toEqual([{ kind: "line", text: '{"d"', bytes: 4 }]);
  });

  test("decodes multi-byte UTF-8 split across chunks", () => {
    const framer = new LineFramer(1024);
    const bytes = encoder.encode('{"t":"héllo ✓"}\n');
    const events: FrameEvent[] = [];
    for (let i = 0; i < bytes.length; i++) framer.push(bytes.subarray(i, i + 1), (e) => events.push(e));
    expect(events).toEqual([{ kind: "line", text: '{"t":"héllo ✓"}', bytes: bytes.length - 1 }]);
  });

  test("a line over the cap is skipped on its own, with its id read, and the next line still works", () => {
    const framer = new LineFramer(64);
    const big = JSON.stringify({ method: "tools/call", params: { text: "x".repeat(500) }, jsonrpc: "2.0", id: 9 });
    const events = frame(framer, big.slice(0, 30), big.slice(30, 200), `${big.slice(200)}\n{"ok":true}\n`);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      kind: "oversized",
      bytes: big.length,
      fields: { root: "object", id: 9, method: "tools/call", hasResultOrError: false },
    });
    expect(events[1]).toEqual({ kind: "line", text: '{"ok":true}', bytes: 11 });
    expect(framer.bufferedBytes).toBe(0);
  });

  test("a line of exactly the cap is accepted; one byte more is not", () => {
    const framer = new LineFramer(10);
    const events = frame(framer, "0123456789\n0123456789A\n");
    expect(events[0]).toEqual({ kind: "line", text: "0123456789", bytes: 10 });
    expect(events[1]?.kind).toBe("oversized");
  });

  test("rejects a nonsensical cap", () => {
    expect(() => new LineFramer(0)).toThrow(RangeError);
  });
});
