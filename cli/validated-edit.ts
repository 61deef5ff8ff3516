// The edit loop shared by `config edit` and `policy edit`: the user edits a private temporary
// copy in $EDITOR, and the real file is replaced atomically only with text that validates, so a
// mistake never reaches the file a proxy loads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/config/index.ts";
import { editFile } from "./editor.ts";
import { CliError, CliErrorCode, failure } from "./errors.ts";
import { failMark, isInteractive, printErrorLine, printLine, prompter, stderrStyle } from "./ui/index.ts";

export interface ValidatedEdit {
  /** The real file. */
  file: string;
  /** Its text now, or null when it does not exist yet (then any valid result is saved). */
  onDisk: string | null;
  /** What the editor starts from. */
  initial: string;
  /** Name of the temporary copy, so the editor shows something meaningful. */
  scratchName: string;
  /** "configuration" or "policy", for messages. */
  what: string;
  /** Problems with the edited text as printable lines; empty when it is valid. */
  problemsOf(text: string): string[];
  /** Reads the real file again just before saving (null when missing). */
  reread(): string | null;
}

export enum EditOutcome {
  Unchanged = "unchanged",
  Saved = "saved",
}

function readEdited(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw failure(`The edited copy ${file} could not be read (did the editor delete it?); nothing was saved.`);
  }
}

export async function editWithValidation(edit: ValidatedEdit): Promise<EditOutcome> {
  const scratchDir = mkdtempSync(join(tmpdir(), "mcp-acp-edit-"));
  const scratch = join(scratchDir, edit.scratchName);
  let keepScratch = false;
  try {
    writeFileSync(scratch, edit.initial, { mode: 0o600 });
    let edited: string;
    for (;;) {
      await editFile(scratch);
      edited = readEdited(scratch);
      if (edit.onDisk !== null && edited === edit.onDisk) {
        printLine("No changes.");
        return EditOutcome.Unchanged;
      }
      const problems = edit.problemsOf(edited);
      if (problems.length === 0) break;
      printErrorLine(`${failMark(stderrStyle())} The edited ${edit.what} is not valid:`);
      for (const line of problems) printErrorLine(`    ${line}`);
      if (!isInteractive()) throw failure(`${edit.file} was not changed: the edited ${edit.what} is invalid.`);
      if (!(await prompter().confirm("Re-edit?", true))) {
        throw new CliError(CliErrorCode.Aborted, `${edit.file} was not changed.`);
      }
    }
    // Refuse to overwrite a change made by someone else while the editor was open.
    if (edit.reread() !== edit.onDisk) {
      keepScratch = true;
      throw failure(
        `${edit.file} was changed by someone else while you were editing; your edit was not saved.`,
        `Your edited copy is kept at ${scratch}.`,
      );
    }
    writeFileAtomic(edit.file, edited, 0o600);
    return EditOutcome.Saved;
  } finally {
    if (!keepScratch) rmSync(scratchDir, { recursive: true, force: true });
  }
}
