// `mcp-acp config edit`: edit the raw file text in $EDITOR on a private temporary copy; save it
// atomically only when it is valid, so a mistake never reaches the real file.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { defineCommand } from "citty";
import { appPaths } from "../../app-paths.ts";
import { requireInitialized } from "../../proxy-lookup.ts";
import { printLine, printSuccess } from "../../ui/index.ts";
import { EditOutcome, editWithValidation } from "../../validated-edit.ts";
import { requiredTarget, TARGET_ARGS } from "./target.ts";
import { targetFile, type TargetFile } from "./target-files.ts";
import { problemLines } from "./validate.ts";

/** Problems with the edited text, or an empty list when it is a valid configuration. */
function problemsOf(text: string, target: TargetFile): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return [`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`];
  }
  try {
    target.parse(raw);
    return [];
  } catch (error) {
    return problemLines(error);
  }
}

export const editCommand = defineCommand({
  meta: { name: "edit", description: "Edit the manager's or a proxy's configuration in $EDITOR, with validation" },
  args: { ...TARGET_ARGS },
  async run({ args }) {
    const paths = appPaths();
    const selected = requiredTarget(args);
    if (selected.kind === "manager") requireInitialized(paths);
    const target = targetFile(paths, selected);
    const original = readFileSync(target.file, "utf8");
    const outcome = await editWithValidation({
      file: target.file,
      onDisk: original,
      initial: original,
      scratchName: selected.kind === "manager" ? basename(target.file) : `${selected.name}.config.json`,
      what: "configuration",
      problemsOf: (text) => problemsOf(text, target),
      reread: () => readFileSync(target.file, "utf8"),
    });
    if (outcome === EditOutcome.Unchanged) return;
    printSuccess(`Saved ${target.file}`);
    printLine(
      selected.kind === "proxy"
        ? "  The proxy uses the new configuration the next time it starts."
        : "  Proxies and the manager use the new configuration the next time they start.",
    );
  },
});
