// Reading and compiling policy.json. Kept apart from PolicyHolder so startup (throws) and reload
// (keeps the last good policy) share exactly the same steps.
import { readFileSync } from "node:fs";
import { type CompiledPolicy, compilePolicy, parsePolicyText, PolicyError, PolicyErrorCode } from "../../../lib/policy/index.ts";

export type PolicyTextRead =
  | { ok: true; text: string }
  | { ok: false; errorType: "file_not_found" | "read_error"; message: string };

function errnoCode(error: unknown): unknown {
  return error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
}

export function readPolicyText(file: string): PolicyTextRead {
  try {
    return { ok: true, text: readFileSync(file, "utf8") };
  } catch (error) {
    if (errnoCode(error) === "ENOENT") {
      return {
        ok: false,
        errorType: "file_not_found",
        message: `Policy file ${file} not found. Create it with 'mcp-acp policy edit --proxy <name>' or restore it.`,
      };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errorType: "read_error",
      message: `Cannot read policy file ${file}: ${detail}. Check that it is a regular file readable by you (mode 0600).`,
    };
  }
}

/** Parses, validates and compiles policy text. Throws PolicyError whose message names the file. */
export function compilePolicyText(text: string, file: string): CompiledPolicy {
  try {
    return compilePolicy(parsePolicyText(text, file));
  } catch (error) {
    if (error instanceof PolicyError && !error.message.includes(file)) {
      throw new PolicyError(error.code, `${file}: ${error.message}`, error.issues);
    }
    throw error;
  }
}

export interface LoadedPolicyFile {
  text: string;
  snapshot: CompiledPolicy;
}

/** Startup load: every failure is a PolicyError (a missing or unreadable file is FileNotFound). */
export function loadPolicyFile(file: string): LoadedPolicyFile {
  const read = readPolicyText(file);
  if (!read.ok) throw new PolicyError(PolicyErrorCode.FileNotFound, read.message);
  return { text: read.text, snapshot: compilePolicyText(read.text, file) };
}
