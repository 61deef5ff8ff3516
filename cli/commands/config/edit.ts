// `mcp-acp config edit`: edit the raw file text in $EDITOR on a private temporary copy; save it
// atomically only when it is valid, so a mistake never reaches the real file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { defineCommand } from "citty";
import { writeFileAtomic } from "../../../lib/config/index.ts";
import { appPaths } from "../../app-paths.ts";
import { editFile } from "../../editor.ts";
import { CliError, CliErrorCode, failure } from "../../errors.ts";
import { requireInitialized } from "../../proxy-lookup.ts";
import { failMark, isInteractive, printErrorLine, printLine, printSuccess, prompter, stderrStyle } from "../../ui/index.ts";
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

function readEdited(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw failure(`The edited copy ${file} could not be read (did the editor delete it?); nothing was saved.`);
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

    const scratchDir = mkdtempSync(join(tmpdir(), "mcp-acp-edit-"));
    const scratch = join(scratchDir, selected.kind === "manager" ? basename(target.file) : `${selected.name}.config.json`);
    let keepScratch = false;
    try {
      writeFileSync(scratch, original, { mode: 0o600 });
      let edited: string;
      for (;;) {
        await editFile(scratch);
        edited = readEdited(scratch);
        if (edited === original) {
          printLine("No changes.");
          return;
        }
        const problems = problemsOf(edited, target);
        if (problems.length === 0) break;
        const style = stderrStyle();
        printErrorLine(`${failMark(style)} The edited configuration is not valid:`);
        for (const line of problems) printErrorLine(`    ${line}`);
        if (!isInteractive()) throw failure(`${target.file} was not changed: the edited configuration is invalid.`);
        if (!(await prompter().confirm("Re-edit?", true))) {
          throw new CliError(CliErrorCode.Aborted, `${target.file} was not changed.`);
        }
      }
      if (readFileSync(target.file, "utf8") !== original) {
        keepScratch = true;
        throw failure(`${target.file} was changed by someone else while you were editing; your edit was not saved.`, `Your edited copy is kept at ${scratch}.`);
      }
      writeFileAtomic(target.file, edited, 0o600);
      printSuccess(`Saved ${target.file}`);
      printLine(
        selected.kind === "proxy"
          ? "  The proxy uses the new configuration the next time it starts."
          : "  Proxies and the manager use the new configuration the next time they start.",
      );
    } finally {
      if (!keepScratch) rmSync(scratchDir, { recursive: true, force: true });
    }
  },
});
