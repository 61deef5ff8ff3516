// The demo's policy: reads inside the sandbox are allowed, secrets are denied wherever they are,
// writes need a human, and every other tool is neither listed nor callable (default deny).
import { formatPolicyDocument, type Rule, validatePolicy, type Policy } from "../../lib/policy/index.ts";

/** Tools of the filesystem server that only read. */
export const READ_TOOLS = [
  "read_text_file",
  "read_multiple_files",
  "list_directory",
  "list_directory_with_sizes",
  "search_files",
  "get_file_info",
] as const;

/** Tools that change files: each call needs an approval. */
export const WRITE_TOOLS = ["write_file", "edit_file", "create_directory"] as const;

export const RULE_ALLOW_READS = "allow-sandbox-reads";
export const RULE_DENY_SECRETS = "deny-secrets";
export const RULE_ASK_WRITES = "ask-before-writes";
export const RULE_DENY_MOVES = "deny-moves";

/** The policy document for a sandbox at `sandbox` (a real, absolute path). */
export function samplePolicyDocument(sandbox: string): { version: string; default_action: "deny"; rules: Rule[] } {
  const inSandbox = `${sandbox}/**`;
  return {
    version: "1",
    default_action: "deny",
    rules: [
      {
        id: RULE_ALLOW_READS,
        description: "Read anything inside the demo sandbox",
        effect: "allow",
        conditions: { tool_name: [...READ_TOOLS], path_pattern: inSandbox },
      },
      {
        id: RULE_DENY_SECRETS,
        description: "Never hand out secrets, wherever they are",
        effect: "deny",
        conditions: { path_pattern: ["**/secrets/**", "**/*.env"] },
      },
      {
        id: RULE_ASK_WRITES,
        description: "Writes inside the sandbox need a human's approval",
        effect: "hitl",
        conditions: { tool_name: [...WRITE_TOOLS], path_pattern: inSandbox },
      },
      {
        id: RULE_DENY_MOVES,
        description: "Moving files is never allowed",
        effect: "deny",
        conditions: { tool_name: "move_file" },
      },
    ],
  };
}

/** The validated policy and the policy.json text for it. */
export function samplePolicy(sandbox: string): { policy: Policy; text: string } {
  const document = samplePolicyDocument(sandbox);
  return { policy: validatePolicy(document), text: formatPolicyDocument(document) };
}
