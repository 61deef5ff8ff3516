// Help text. citty renders the body; we name the command by its full path ("mcp-acp proxy add")
// and drop colour when the destination is not a colour terminal.
import { renderUsage, type SubCommandsDef } from "citty";
import { colorEnabled, stripAnsi, type StyleTarget } from "./ui/index.ts";

const ROOT_EXAMPLES = [
  "",
  "Quick start:",
  "  mcp-acp init",
  '  mcp-acp proxy add --name fs --server-name filesystem --command npx \\',
  '      --args "-y,@modelcontextprotocol/server-filesystem,/tmp"',
  "  mcp-acp install mcp-json --proxy fs",
];

/** A command of any argument shape: what citty stores in a subCommands table (its
 * CommandDef<any>), named without writing `any` here. */
export type AnyCommand = Exclude<SubCommandsDef[string], PromiseLike<unknown> | (() => unknown)>;

export async function renderHelp(cmd: AnyCommand, path: readonly string[], target: StyleTarget): Promise<string> {
  const meta = typeof cmd.meta === "function" ? await cmd.meta() : await cmd.meta;
  const named: AnyCommand = { ...cmd, meta: { ...meta, name: path.join(" ") } };
  const body = await renderUsage(named);
  const lines = [body, ...(path.length === 1 ? ROOT_EXAMPLES : [])].join("\n");
  const text = colorEnabled(target) ? lines : stripAnsi(lines);
  return `${text.replace(/[ \t]+$/gm, "").trimEnd()}\n`;
}
