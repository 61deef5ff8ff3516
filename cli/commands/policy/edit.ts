// `mcp-acp policy edit --proxy NAME`: edit the raw policy text in $EDITOR on a private
// temporary copy; save it atomically only when the proxy would load it, so a mistake never
// reaches the real file. A missing policy file is recreated, starting from the deny-all policy.
import { defineCommand } from "citty";
import { DEFAULT_POLICY, formatJson } from "../../../lib/config/index.ts";
import { PolicyError } from "../../../lib/policy/index.ts";
import { appPaths } from "../../app-paths.ts";
import { printErrorLine, printLine, printSuccess } from "../../ui/index.ts";
import { EditOutcome, editWithValidation } from "../../validated-edit.ts";
import { parsePolicyDocument, policyLocation, policyProblemLines, readPolicyText, RELOAD_NOTE } from "./policy-file.ts";
import { PROXY_OPTION } from "./proxy-option.ts";

/** Problems with the edited text, or an empty list when it is a valid policy. */
function problemsOf(text: string): string[] {
  try {
    parsePolicyDocument(text);
    return [];
  } catch (error) {
    if (error instanceof PolicyError) return policyProblemLines(error);
    throw error;
  }
}

export const editCommand = defineCommand({
  meta: { name: "edit", description: "Edit a proxy's policy.json in $EDITOR, with validation" },
  args: { ...PROXY_OPTION },
  async run({ args }) {
    const at = policyLocation(appPaths(), args.proxy);
    const onDisk = readPolicyText(at.file);
    if (onDisk === null) printErrorLine(`${at.file} does not exist; starting from the deny-all policy.`);
    const initial = onDisk ?? formatJson(DEFAULT_POLICY);

    const outcome = await editWithValidation({
      file: at.file,
      onDisk,
      initial,
      scratchName: `${at.name}.policy.json`,
      what: "policy",
      problemsOf,
      reread: () => readPolicyText(at.file),
    });
    if (outcome === EditOutcome.Unchanged) return;
    printSuccess(`${onDisk === null ? "Created" : "Saved"} ${at.file}`);
    printLine(RELOAD_NOTE);
  },
});
