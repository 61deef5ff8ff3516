import { describe, expect, test } from "bun:test";
import { canonicalJson } from "./canonical-json.ts";
import { canonicalizeLine } from "./canonical-line.ts";
import { EMPTY_CHAIN_HEAD, GENESIS, computeEntryHash, normalizePayload, sealRecord } from "./chain.ts";
import { AuditError, AuditErrorCode } from "./errors.ts";
import { sha256Hex } from "./hash.ts";
import { thrown } from "./test-fixtures.ts";

const T = "2026-01-01T00:00:00.000Z";

describe("sealRecord", () => {
  test("the first record is GENESIS with sequence 1; later ones link and count up", () => {
    const first = sealRecord({ event: "a" }, null, { time: T });
    expect(first.sequence).toBe(1);
    expect(first.prevHash).toBe(GENESIS);
    const second = sealRecord({ event: "b" }, first.head, { time: T });
    const third = sealRecord({ event: "c" }, second.head, { time: T });
    expect([second.sequence, second.prevHash]).toEqual([2, first.entryHash]);
    expect([third.sequence, third.prevHash]).toEqual([3, second.entryHash]);
    expect(sealRecord({ event: "a" }, EMPTY_CHAIN_HEAD, { time: T }).line).toBe(first.line);
  });

  test("the line has time first and entry_hash last, ends in one newline, and hashes canonically", () => {
    const sealed = sealRecord({ z: 1, a: "é" }, null, { time: T });
    expect(sealed.line.endsWith("}\n")).toBe(true);
    expect(sealed.line.indexOf("\n")).toBe(sealed.line.length - 1);
    const record = JSON.parse(sealed.line) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(["time", "sequence", "prev_hash", "z", "a", "entry_hash"]);
    expect(record.entry_hash).toBe(sealed.entryHash);
    expect(sealed.entryHash).toBe(sha256Hex(canonicalizeLine(sealed.line.trimEnd())));
    expect(sealed.bytes).toBe(Buffer.byteLength(sealed.line));
  });

  test("the hash covers time, sequence and prev_hash but not entry_hash, whatever the key order", () => {
    const sealed = sealRecord({ event: "x" }, null, { time: T });
    const record = JSON.parse(sealed.line) as Record<string, string | number>;
    expect(computeEntryHash(record)).toBe(sealed.entryHash);
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(computeEntryHash(reordered)).toBe(sealed.entryHash);
    expect(computeEntryHash({ ...record, time: "2026-01-01T00:00:00.001Z" })).not.toBe(sealed.entryHash);
    expect(sha256Hex(canonicalJson({ time: T, sequence: 1, prev_hash: GENESIS, event: "x" }))).toBe(sealed.entryHash);
  });

  test("top-level null and undefined members are omitted; nested nulls stay", () => {
    const sealed = sealRecord({ a: null, b: undefined, c: { d: null } }, null, { time: T });
    expect(JSON.parse(sealed.line)).toMatchObject({ c: { d: null } });
    expect(sealed.line).not.toContain('"a"');
    expect(sealed.line).not.toContain('"b"');
  });

  test("a payload key named __proto__ stays an ordinary member", () => {
    const payload = JSON.parse('{"__proto__":{"polluted":true},"event":"x"}') as Record<string, never>;
    const sealed = sealRecord(payload, null, { time: T });
    expect(sealed.line).toContain('"__proto__":{"polluted":true}');
    expect(sealed.entryHash).toBe(sha256Hex(canonicalizeLine(sealed.line.trimEnd())));
  });

  test("reserved keys in a payload are refused", () => {
    for (const key of ["time", "sequence", "prev_hash", "entry_hash"]) {
      expect(() => sealRecord({ [key]: "x" }, null)).toThrow(AuditError);
    }
    expect((thrown(() => sealRecord({ sequence: 9 }, null)) as AuditError).code).toBe(AuditErrorCode.ReservedKey);
  });

  test("values JSON cannot hold exactly are refused before anything is written", () => {
    expect(() => sealRecord({ n: Number.NaN }, null)).toThrow(AuditError);
    expect(() => sealRecord({ d: new Date() as never }, null)).toThrow(AuditError);
  });

  test("an invalid head is refused", () => {
    for (const head of [
      { sequence: -1, lastHash: GENESIS },
      { sequence: 0, lastHash: "a".repeat(64) },
      { sequence: 3, lastHash: GENESIS },
      { sequence: 3, lastHash: "A".repeat(64) },
      { sequence: 1.5, lastHash: "a".repeat(64) },
    ]) {
      expect(() => sealRecord({ event: "x" }, head)).toThrow(AuditError);
    }
  });

  test("time defaults to now in ms + Z", () => {
    expect(sealRecord({ e: 1 }, null).time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe("normalizePayload (spec §5.1 step 3)", () => {
  test("objects as is, JSON object strings parsed, anything else wrapped", () => {
    const object = { a: 1 };
    expect(normalizePayload(object)).toBe(object);
    expect(normalizePayload('{"b":2}')).toEqual({ b: 2 });
    expect(normalizePayload("{not json")).toEqual({ message: "{not json" });
    expect(normalizePayload("plain")).toEqual({ message: "plain" });
    expect(normalizePayload(42)).toEqual({ message: "42" });
    expect(normalizePayload([1])).toEqual({ message: "[1]" });
  });
});
