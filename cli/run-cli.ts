// Command dispatch: walks the citty command tree by name, parses the leaf's options strictly
// (parse-args.ts), runs it, and turns every outcome into an exit code. citty's runMain is not
// used because it exits 1 on usage problems and accepts unknown options.
import type { ArgsDef } from "citty";
import { rootCommand } from "./app.ts";
import { EXIT_OK, usageError } from "./errors.ts";
import { parseCommandLine } from "./parse-args.ts";
import { reportError } from "./report-error.ts";
import { closePrompter, printLine } from "./ui/index.ts";
import { renderHelp, type AnyCommand } from "./usage.ts";
import { VERSION } from "./version.ts";

interface Position {
  cmd: AnyCommand;
  path: string[];
}

type RunContext = Parameters<NonNullable<AnyCommand["run"]>>[0];

const DEBUG_FLAG = "--debug";

/** Removes --debug (accepted anywhere before "--") and reports whether debugging is on. */
export function extractDebugFlag(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): { debug: boolean; tokens: string[] } {
  const end = argv.indexOf("--");
  const head = end === -1 ? [...argv] : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const tokens = [...head.filter((t) => t !== DEBUG_FLAG), ...tail];
  const debug = head.includes(DEBUG_FLAG) || env.MCP_ACP_DEBUG === "1";
  return { debug, tokens };
}

async function resolve<T>(value: T | Promise<T> | (() => T) | (() => Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

async function findSubCommand(cmd: AnyCommand, name: string): Promise<AnyCommand | undefined> {
  const subCommands = await resolve(cmd.subCommands ?? {});
  const entry = Object.hasOwn(subCommands, name) ? subCommands[name] : undefined;
  return entry === undefined ? undefined : await resolve(entry);
}

async function subCommandNames(cmd: AnyCommand): Promise<string[]> {
  return Object.keys(await resolve(cmd.subCommands ?? {}));
}

async function printHelp(at: Position): Promise<number> {
  process.stdout.write(await renderHelp(at.cmd, at.path, process.stdout));
  return EXIT_OK;
}

async function dispatch(tokens: string[], at: Position): Promise<number> {
  let index = 0;
  while (at.cmd.subCommands !== undefined) {
    const token = tokens[index];
    if (token === undefined || token === "--help" || token === "-h") return printHelp(at);
    if (at.path.length === 1 && (token === "--version" || token === "-v")) {
      const extra = tokens[index + 1];
      if (extra !== undefined) throw usageError(`Unexpected argument '${extra}'.`);
      printLine(`mcp-acp ${VERSION}`);
      return EXIT_OK;
    }
    if (token.startsWith("-")) throw usageError(`Unknown option '${token}'.`);
    const sub = await findSubCommand(at.cmd, token);
    if (sub === undefined) {
      const names = (await subCommandNames(at.cmd)).join(", ");
      throw usageError(`Unknown command '${token}'. Available: ${names}.`);
    }
    at.cmd = sub;
    at.path.push(token);
    index++;
  }
  const leafTokens = tokens.slice(index);
  const argsDef: ArgsDef = (await resolve(at.cmd.args ?? {})) as ArgsDef;
  const parsed = parseCommandLine(leafTokens, argsDef);
  if (parsed.help || at.cmd.run === undefined) return printHelp(at);
  // citty's ParsedArgs type intersects `_: string[]` with a scalar index signature, which no
  // object literal satisfies; the shape here is exactly what citty itself would pass.
  const args = { _: [], ...parsed.values } as unknown as RunContext["args"];
  const context: RunContext = { rawArgs: leafTokens, args, cmd: at.cmd };
  const result: unknown = await at.cmd.run(context);
  return typeof result === "number" ? result : EXIT_OK;
}

/** Runs the CLI for `argv` (without the executable and script) and returns the exit code. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const { debug, tokens } = extractDebugFlag(argv, env);
  const at: Position = { cmd: rootCommand, path: ["mcp-acp"] };
  try {
    return await dispatch(tokens, at);
  } catch (error) {
    return await reportError(error, { debug, usage: () => renderHelp(at.cmd, at.path, process.stderr) });
  } finally {
    closePrompter();
  }
}
