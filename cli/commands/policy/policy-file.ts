// A proxy's policy.json, read and validated exactly as the proxy loads it (strict), with every
// failure turned into a message that names the file and says how to fix it.
import { readFileSync } from "node:fs";
import { proxyPolicyPath, type AppPaths } from "../../../lib/paths/index.ts";
import { PolicyError, PolicyErrorCode, validatePolicy, type Policy } from "../../../lib/policy/index.ts";
import { failure } from "../../errors.ts";
import { requireProxy } from "../../proxy-lookup.ts";

export interface PolicyLocation {
  /** The proxy's exact configured name. */
  name: string;
  file: string;
}

export interface ParsedPolicy {
  /** The JSON document as written: no defaults applied, no generated ids added. */
  document: Record<string, unknown>;
  policy: Policy;
}

export interface LoadedPolicy extends ParsedPolicy {
  file: string;
  /** The file's text exactly as read. */
  text: string;
}

/** The policy file of an existing proxy (exit 1 listing the available proxies otherwise). */
export function policyLocation(paths: AppPaths, name: string): PolicyLocation {
  const exact = requireProxy(paths, name);
  return { name: exact, file: proxyPolicyPath(paths, exact) };
}

export function editHint(name: string): string {
  return `Fix it with 'mcp-acp policy edit --proxy ${name}'.`;
}

export function createHint(name: string): string {
  return `Create it with 'mcp-acp policy edit --proxy ${name}' (the editor starts from the deny-all policy).`;
}

function osReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}

/** The file's text, or null when it does not exist; other read failures exit 1. */
export function readPolicyText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return null;
    throw failure(`Cannot read ${file}: ${osReason(error)}`, "Check that it is a regular file readable by you (mcp-acp writes it with mode 0600).");
  }
}

/** Parses and strictly validates policy text. Throws PolicyError (InvalidJson or Validation). */
export function parsePolicyDocument(text: string): ParsedPolicy {
  // A UTF-8 byte order mark is legal in a file but not in JSON text.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    const detail = json.trim() === "" ? "the file is empty" : osReason(error);
    throw new PolicyError(PolicyErrorCode.InvalidJson, `Invalid JSON: ${detail}`);
  }
  const policy = validatePolicy(document);
  // validatePolicy accepts only a JSON object, so the document is one here.
  return { document: document as Record<string, unknown>, policy };
}

/**
 * Reads and validates the policy file. Throws PolicyError: FileNotFound (its message says how
 * to create the file), InvalidJson or Validation; CliError when the file cannot be read.
 */
export function readPolicyFile(at: PolicyLocation): LoadedPolicy {
  const text = readPolicyText(at.file);
  if (text === null) throw new PolicyError(PolicyErrorCode.FileNotFound, `Not found. ${createHint(at.name)}`);
  return { file: at.file, text, ...parsePolicyDocument(text) };
}

/** The problems as lines: `- <dotted.loc>: <msg>` per validation issue, else the message. */
export function policyProblemLines(error: unknown): string[] {
  if (error instanceof PolicyError && error.issues.length > 0) {
    return error.issues.map((issue) => `- ${issue.loc === "" ? "(root)" : issue.loc}: ${issue.msg}`);
  }
  return (error instanceof Error ? error.message : String(error)).split("\n");
}

export function indentLines(lines: readonly string[]): string {
  return lines.map((line) => `    ${line}`).join("\n");
}

/** The valid policy of a proxy, or exit 1 with every problem and how to fix it. */
export function requirePolicy(at: PolicyLocation): LoadedPolicy {
  try {
    return readPolicyFile(at);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    if (error.code === PolicyErrorCode.FileNotFound) throw failure(`Policy file ${at.file} not found.`, createHint(at.name));
    throw failure(`The policy in ${at.file} is not valid:\n${indentLines(policyProblemLines(error))}`, editHint(at.name));
  }
}

/** What to tell the user after the file changed: nothing pushes it into a running proxy yet. */
export const RELOAD_NOTE = "  A running proxy reloads the file on its own (it watches it); mcp-acp start picks it up otherwise.";
