// The demo's calls: each one says what the sample policy expects and checks what really
// happened — the proxy's decision record, what the client received, and the sandbox afterwards.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { compilePolicy, FINAL_RULE_DEFAULT, FINAL_RULE_PROTECTED_PATH, isToolVisible } from "../../lib/policy/index.ts";
import type { DecisionFeed } from "./decision-feed.ts";
import type { RequestIdTracker } from "./request-ids.ts";
import { DEMO_SECRET_VALUE, README_FIRST_LINE, WRITE_TARGET } from "./sandbox.ts";
import { RULE_ALLOW_READS, RULE_ASK_WRITES, RULE_DENY_SECRETS } from "./sample-policy.ts";
import type { DemoSetup } from "./setup.ts";
import { type CallResultLike, denialOf, describeRule, resultText, type Verdict, verdictOf } from "./verdict.ts";

/** How long to wait for the proxy's stderr to report a decision after the answer arrived. */
const RECORD_WAIT_MS = 3000;

export interface StepContext {
  client: Client;
  feed: DecisionFeed;
  ids: RequestIdTracker;
  setup: DemoSetup;
  /** Tool names the backend itself offers (asked directly, without the proxy). */
  backendTools: readonly string[];
  subjectId: string;
}

export interface StepOutcome {
  /** What happened; null when it could not be told. */
  verdict: Verdict | null;
  why: string;
  result: string;
  /** Every way the call did not behave as the policy says; empty when it did. */
  problems: string[];
}

export interface DemoStep {
  call: string;
  expected: Verdict;
  run(ctx: StepContext): Promise<StepOutcome>;
}

/** Multi-line results on one line: lines joined with " | ", blank lines dropped. */
export function oneLine(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" | ");
}

interface ToolCallSpec {
  call: string;
  tool: string;
  args: (sandbox: string, setup: DemoSetup) => Record<string, unknown>;
  expected: Verdict;
  /** final_rule the proxy must report. */
  rule: string;
  /** Extra checks of the result or of the sandbox afterwards. */
  check?: (text: string, ctx: StepContext) => string[];
}

function toolCallStep(spec: ToolCallSpec): DemoStep {
  return {
    call: spec.call,
    expected: spec.expected,
    async run(ctx) {
      const result = (await ctx.client.callTool({ name: spec.tool, arguments: spec.args(ctx.setup.sandbox, ctx.setup) })) as CallResultLike;
      const id = ctx.ids.last();
      const record = id === undefined ? undefined : await ctx.feed.waitFor(id, RECORD_WAIT_MS);
      const text = resultText(result);
      const denial = denialOf(result);
      const problems: string[] = [];
      if (record === undefined) {
        problems.push(`the proxy logged no decision record for request ${id ?? "(unknown id)"}`);
        return { verdict: denial === undefined ? "allowed" : "denied", why: "?", result: oneLine(text), problems };
      }
      const verdict = verdictOf(record);
      if (verdict !== spec.expected) problems.push(`expected ${spec.expected}, the proxy decided ${verdict} (${record.reason})`);
      if (record.finalRule !== spec.rule) problems.push(`expected rule ${spec.rule}, the proxy used ${record.finalRule}`);
      if ((verdict === "allowed") !== (denial === undefined)) {
        problems.push(`the client's result does not match the proxy's decision (${denial === undefined ? "no denial marker" : `denial ${denial.kind}`})`);
      }
      if (verdict === "allowed" && result.isError === true) problems.push(`the backend answered with an error: ${oneLine(text)}`);
      problems.push(...(spec.check?.(text, ctx) ?? []));
      return { verdict, why: describeRule(record), result: oneLine(text), problems };
    },
  };
}

const toolsListStep: DemoStep = {
  call: "tools/list",
  expected: "hidden",
  async run(ctx) {
    const listed = (await ctx.client.listTools()).tools.map((t) => t.name);
    const snapshot = compilePolicy(ctx.setup.policy);
    const backendId = ctx.setup.serverName;
    const shouldHide = ctx.backendTools.filter((name) => !isToolVisible(snapshot, { toolName: name, backendId, subjectId: ctx.subjectId }));
    const hidden = ctx.backendTools.filter((name) => !listed.includes(name));
    const problems: string[] = [];
    const extra = listed.filter((name) => !ctx.backendTools.includes(name));
    if (extra.length > 0) problems.push(`listed tools the backend does not offer: ${extra.join(", ")}`);
    const wronglyShown = shouldHide.filter((name) => listed.includes(name));
    if (wronglyShown.length > 0) problems.push(`listed although the policy never permits them: ${wronglyShown.join(", ")}`);
    const wronglyHidden = hidden.filter((name) => !shouldHide.includes(name));
    if (wronglyHidden.length > 0) problems.push(`hidden although the policy permits them: ${wronglyHidden.join(", ")}`);
    if (hidden.length === 0) problems.push("no tool was hidden");
    return {
      verdict: hidden.length > 0 ? "hidden" : "allowed",
      why: "list filter: only tools some rule permits",
      result: `${listed.length} of ${ctx.backendTools.length} tools listed; hidden: ${hidden.join(", ") || "none"}`,
      problems,
    };
  },
};

function secretNotLeaked(text: string): string[] {
  return text.includes(DEMO_SECRET_VALUE) ? ["the secret's value reached the client"] : [];
}

function writeTargetAbsent(_text: string, ctx: StepContext): string[] {
  return existsSync(join(ctx.setup.sandbox, WRITE_TARGET)) ? [`${WRITE_TARGET} was written although nobody approved it`] : [];
}

/** Path to the proxy's own config.json, spelt from inside the sandbox with `../`. */
export function configViaParent(sandbox: string, setup: DemoSetup): string {
  return `${sandbox}/${relative(sandbox, setup.configPath)}`;
}

export function demoSteps(setup: DemoSetup): DemoStep[] {
  const sandboxName = ".";
  const viaParent = relative(setup.sandbox, setup.configPath);
  return [
    toolsListStep,
    toolCallStep({
      call: `list_directory ${sandboxName}`,
      tool: "list_directory",
      args: (sandbox) => ({ path: sandbox }),
      expected: "allowed",
      rule: RULE_ALLOW_READS,
      check: (text) => (text.includes("notes") ? [] : ["the listing does not show notes/"]),
    }),
    toolCallStep({
      call: "read_text_file notes/readme.md",
      tool: "read_text_file",
      args: (sandbox) => ({ path: join(sandbox, "notes/readme.md") }),
      expected: "allowed",
      rule: RULE_ALLOW_READS,
      check: (text) => (text.startsWith(README_FIRST_LINE) ? [] : ["the file's content did not arrive"]),
    }),
    toolCallStep({
      call: "read_text_file secrets/.env",
      tool: "read_text_file",
      args: (sandbox) => ({ path: join(sandbox, "secrets/.env") }),
      expected: "denied",
      rule: RULE_DENY_SECRETS,
      check: secretNotLeaked,
    }),
    toolCallStep({
      call: `read_text_file ${viaParent}`,
      tool: "read_text_file",
      args: (sandbox, setup) => ({ path: configViaParent(sandbox, setup) }),
      expected: "protected",
      rule: FINAL_RULE_PROTECTED_PATH,
      check: (text) => (text.includes("proxy_id") ? ["the proxy's config reached the client"] : []),
    }),
    toolCallStep({
      call: `write_file ${WRITE_TARGET}`,
      tool: "write_file",
      args: (sandbox) => ({ path: join(sandbox, WRITE_TARGET), content: "- buy milk\n" }),
      expected: "approval-denied",
      rule: RULE_ASK_WRITES,
      check: writeTargetAbsent,
    }),
    toolCallStep({
      call: `directory_tree ${sandboxName} (hidden tool)`,
      tool: "directory_tree",
      args: (sandbox) => ({ path: sandbox }),
      expected: "denied",
      rule: FINAL_RULE_DEFAULT,
    }),
  ];
}
