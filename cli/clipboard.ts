// Copying text to the system clipboard through the first working command-line tool.
import { CliError, CliErrorCode } from "./errors.ts";

export interface ClipboardTool {
  name: string;
  argv: string[];
}

export const CLIPBOARD_TOOLS: readonly ClipboardTool[] = [
  { name: "wl-copy", argv: ["wl-copy"] },
  { name: "xclip", argv: ["xclip", "-selection", "clipboard"] },
  { name: "xsel", argv: ["xsel", "--clipboard", "--input"] },
  { name: "pbcopy", argv: ["pbcopy"] },
  { name: "clip", argv: ["clip"] },
];

const TIMEOUT_MS = 5000;

/** Feeds `text` to one tool; resolves to an error description, or undefined on success. */
async function tryTool(path: string, tool: ClipboardTool, text: string): Promise<string | undefined> {
  // stdout is ignored: xclip/xsel fork a child that keeps serving the selection and would hold
  // a stdout pipe open. stderr is read only after a failed exit, when no such child exists.
  const child = Bun.spawn([path, ...tool.argv.slice(1)], { stdin: "pipe", stdout: "ignore", stderr: "pipe", timeout: TIMEOUT_MS });
  try {
    child.stdin.write(text);
    await child.stdin.end();
  } catch {
    // The tool exited without reading (EPIPE): its exit status below says why.
  }
  const code = await child.exited;
  if (code === 0) return undefined;
  if (child.signalCode !== null) return `${tool.name} did not finish within ${TIMEOUT_MS / 1000} s`;
  const detail = (await new Response(child.stderr).text()).trim().split("\n")[0] ?? "";
  return `${tool.name} exited with status ${code}${detail === "" ? "" : `: ${detail}`}`;
}

/** Copies `text`; returns the tool used. Throws when no tool is installed or none works. */
export async function copyToClipboard(text: string, which: (cmd: string) => string | null = Bun.which): Promise<string> {
  const failures: string[] = [];
  for (const tool of CLIPBOARD_TOOLS) {
    const path = which(tool.argv[0] ?? tool.name);
    if (path === null) continue;
    const problem = await tryTool(path, tool, text);
    if (problem === undefined) return tool.name;
    failures.push(problem);
  }
  if (failures.length === 0) {
    throw new CliError(
      CliErrorCode.ToolFailed,
      `No clipboard tool found (looked for ${CLIPBOARD_TOOLS.map((t) => t.name).join(", ")}).`,
      "Install wl-clipboard or xclip, or run without --copy and copy the printed JSON.",
    );
  }
  throw new CliError(CliErrorCode.ToolFailed, `Could not copy to the clipboard: ${failures.join("; ")}.`, "Run without --copy and copy the printed JSON.");
}
