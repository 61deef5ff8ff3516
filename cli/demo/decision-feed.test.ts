import { describe, expect, test } from "bun:test";
import { PassThrough } from "node:stream";
import { DecisionFeed, parseDecisionLine } from "./decision-feed.ts";

const record = {
  event: "decision",
  requestId: "4",
  method: "tools/call",
  toolName: "read_text_file",
  decision: "deny",
  outcome: "denied",
  reason: "rule deny-secrets matched",
  matchedRules: ["allow-sandbox-reads", "deny-secrets"],
  finalRule: "deny-secrets",
  policyVersion: "v1",
  paths: ["/x/secrets/.env"],
  evalMicros: 12,
  subjectId: "me",
  time: "2025-01-01T00:00:00.000Z",
};

function logLine(message: string, fields: unknown): string {
  return `[mcp-acp:demo-fs] debug: ${message} ${JSON.stringify(fields)}`;
}

describe("parseDecisionLine", () => {
  test("reads the record from a proxy log line", () => {
    const parsed = parseDecisionLine(logLine("Decision deny (denied) for tools/call: rule deny-secrets matched", record));
    expect(parsed).toEqual({
      requestId: "4",
      method: "tools/call",
      toolName: "read_text_file",
      decision: "deny",
      outcome: "denied",
      reason: "rule deny-secrets matched",
      finalRule: "deny-secrets",
      matchedRules: ["allow-sandbox-reads", "deny-secrets"],
    });
  });

  test("is not fooled by a message that contains the marker itself", () => {
    const reason = 'protected path /x/ {"event":"decision","requestId":"99"}';
    const line = logLine(`Decision deny (denied) for tools/call: ${reason}`, { ...record, reason, requestId: "7" });
    expect(parseDecisionLine(line)?.requestId).toBe("7");
  });

  test("ignores other lines and malformed records", () => {
    expect(parseDecisionLine("[mcp-acp:demo-fs] info: Proxy server ready")).toBeUndefined();
    expect(parseDecisionLine(logLine("Refused", { event: "protected_path_denied" }))).toBeUndefined();
    expect(parseDecisionLine(logLine("Decision", { ...record, decision: "maybe" }))).toBeUndefined();
    expect(parseDecisionLine('x {"event":"decision", broken')).toBeUndefined();
  });
});

describe("DecisionFeed", () => {
  test("answers a waiter when the record arrives split across chunks, and keeps the lines", async () => {
    const stream = new PassThrough();
    const feed = new DecisionFeed(stream);
    const waiting = feed.waitFor("4", 2000);
    const line = logLine("Decision deny (denied) for tools/call: x", record);
    stream.write("banner line\n");
    stream.write(line.slice(0, 30));
    stream.write(`${line.slice(30)}\n`);
    expect((await waiting)?.finalRule).toBe("deny-secrets");
    expect(await feed.waitFor("4", 10)).toBeDefined();
    expect(feed.tail(2)).toEqual(["banner line", line]);
  });

  test("gives up after the timeout when no record comes", async () => {
    const feed = new DecisionFeed(new PassThrough());
    expect(await feed.waitFor("1", 20)).toBeUndefined();
  });
});
