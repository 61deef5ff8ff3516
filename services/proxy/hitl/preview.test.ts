import { describe, expect, test } from "bun:test";
import { HitlError, HitlErrorCode } from "./errors.ts";
import { argumentsDigest, argumentsPreview, DIGEST_PREFIX, redactSecretText } from "./preview.ts";

describe("argumentsPreview", () => {
  test("keeps ordinary arguments as they are", () => {
    const args = { command: "ls -la /tmp", path: "/home/u/a.txt", count: 3, recursive: true, tags: ["a", "b"], extra: null };
    expect(argumentsPreview(args)).toEqual(args);
  });

  test("masks values of secret-named keys at any depth", () => {
    const preview = argumentsPreview({ user: "bob", password: "hunter2", nested: { api_key: "abc", "X-Api-Key": "k", list: [{ client_secret: "s" }] } });
    expect(preview).toEqual({ user: "bob", password: "[REDACTED]", nested: { api_key: "[REDACTED]", "X-Api-Key": "[REDACTED]", list: [{ client_secret: "[REDACTED]" }] } });
  });

  test("masks secret-looking parts inside strings", () => {
    const preview = argumentsPreview({
      command: 'curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz" https://bob:s3cr3t@example.com/x?token=zzz',
      note: "export OPENAI=sk-abcdefghijklmnopqrstuvwx and DB_PASSWORD=pa55",
    });
    const command = String(preview["command"]);
    expect(command).not.toContain("abcdefghijklmnopqrstuvwxyz");
    expect(command).not.toContain("s3cr3t");
    expect(command).not.toContain("zzz");
    expect(command).toContain("https://bob:[REDACTED]@example.com");
    const note = String(preview["note"]);
    expect(note).not.toContain("sk-abcdefghijklmnopqrstuvwx");
    expect(note).not.toContain("pa55");
    expect(note).toContain("DB_PASSWORD=[REDACTED]");
  });

  test("masks a private key block and a JWT", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
    expect(redactSecretText(`key ${pem} tail`)).toBe("key [REDACTED] tail");
    expect(redactSecretText(`jwt=${jwt}`)).not.toContain("c2lnbmF0dXJl");
  });

  test("truncates long strings and says how much was cut", () => {
    const preview = argumentsPreview({ content: "x".repeat(2000) }, { maxStringChars: 100 });
    expect(preview["content"]).toBe(`${"x".repeat(100)}…[+1900 chars]`);
  });

  test("bounds depth, array length and key count", () => {
    const deep = { a: { b: { c: { d: "deep" } } } };
    expect(argumentsPreview(deep, { maxDepth: 2 })).toEqual({ a: { b: "[nested too deep]" } });
    const arr = argumentsPreview({ items: Array.from({ length: 30 }, (_, i) => i) }, { maxArrayItems: 5 });
    expect(arr["items"]).toEqual([0, 1, 2, 3, 4, "… 25 more items"]);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const keys = argumentsPreview(many, { maxObjectKeys: 3 });
    expect(Object.keys(keys)).toEqual(["k0", "k1", "k2", "(more)"]);
    expect(keys["(more)"]).toBe("7 more keys not shown");
  });

  test("stops adding content once the size budget is spent", () => {
    const args = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, "y".repeat(400)]));
    const preview = argumentsPreview(args, { maxTotalChars: 2000, maxObjectKeys: 100 });
    expect(JSON.stringify(preview).length).toBeLessThan(3000);
    expect(preview["(more)"]).toMatch(/more keys not shown$/);
  });

  test("always returns an object: absent arguments give {}, others are wrapped", () => {
    expect(argumentsPreview(undefined)).toEqual({});
    expect(argumentsPreview(null)).toEqual({});
    expect(argumentsPreview(["a", 1])).toEqual({ value: ["a", 1] });
    expect(argumentsPreview("text")).toEqual({ value: "text" });
  });
});

describe("argumentsDigest", () => {
  test("is sha256 over canonical JSON: key order does not matter, content does", () => {
    const a = argumentsDigest({ b: 1, a: [1, { y: 2, x: 1 }] });
    const b = argumentsDigest({ a: [1, { x: 1, y: 2 }], b: 1 });
    expect(a).toBe(b);
    expect(a).toMatch(new RegExp(`^${DIGEST_PREFIX}[0-9a-f]{64}$`));
    expect(argumentsDigest({ b: 2, a: [1, { y: 2, x: 1 }] })).not.toBe(a);
  });

  test("covers the unredacted arguments", () => {
    expect(argumentsDigest({ password: "one" })).not.toBe(argumentsDigest({ password: "two" }));
  });

  test("absent arguments hash like null", () => {
    expect(argumentsDigest(undefined)).toBe(argumentsDigest(null));
  });

  test("refuses values JSON cannot represent", () => {
    try {
      argumentsDigest({ when: new Date(0) });
      throw new Error("expected a HitlError");
    } catch (error) {
      expect(error).toBeInstanceOf(HitlError);
      expect((error as HitlError).code).toBe(HitlErrorCode.InvalidRequest);
    }
  });
});
