// Opening a file in the user's editor: $EDITOR, then $VISUAL, then vi. The value may carry
// arguments ("code -w"), so on POSIX it is run through /bin/sh like git does; the file path is
// passed as "$1" and never interpolated into the shell text.
import { CliError, CliErrorCode } from "./errors.ts";
import { closePrompter } from "./ui/index.ts";

export function editorCommand(env: Record<string, string | undefined> = process.env): string {
  for (const candidate of [env.EDITOR, env.VISUAL]) {
    if (candidate !== undefined && candidate.trim() !== "") return candidate.trim();
  }
  return process.platform === "win32" ? "notepad" : "vi";
}

export function editorArgv(editor: string, file: string, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === "win32") return [...editor.split(/\s+/).filter((p) => p !== ""), file];
  return ["/bin/sh", "-c", `${editor} "$1"`, "editor", file];
}

/** Runs the editor on `file` with the terminal attached and waits for it to exit. */
export async function editFile(file: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  const editor = editorCommand(env);
  // A prompt's stdin reader would compete with the editor for the terminal's keystrokes.
  closePrompter();
  let exitCode: number;
  try {
    const child = Bun.spawn(editorArgv(editor, file), { stdio: ["inherit", "inherit", "inherit"], env: { ...env } });
    exitCode = await child.exited;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(CliErrorCode.ToolFailed, `Could not start the editor '${editor}': ${reason}`, "Set $EDITOR to your editor, e.g. EDITOR=nano.");
  }
  if (exitCode !== 0) {
    const notFound = exitCode === 127 ? " (command not found)" : "";
    throw new CliError(
      CliErrorCode.ToolFailed,
      `The editor '${editor}' exited with status ${exitCode}${notFound}; nothing was saved.`,
      "Set $EDITOR to your editor, e.g. EDITOR=nano.",
    );
  }
}
