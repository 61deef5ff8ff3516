// The error edge of the CLI: every failure becomes `Error: <message>` (+ an indented hint) on
// stderr and an exit code. Usage errors also show the command's help. Stack traces only with
// --debug / MCP_ACP_DEBUG=1, because a user's terminal is not a debugger.
import { ConfigError } from "../lib/config/index.ts";
import { CliError, CliErrorCode, EXIT_ERROR, EXIT_USAGE } from "./errors.ts";
import { printErrorLine, stderrStyle } from "./ui/index.ts";

export interface ErrorReportOptions {
  debug: boolean;
  /** Help text of the command being run, shown with usage errors. */
  usage: () => Promise<string>;
}

export async function reportError(error: unknown, options: ErrorReportOptions): Promise<number> {
  const style = stderrStyle();
  const label = style.red("Error:");
  if (error instanceof CliError && error.code === CliErrorCode.Usage) {
    process.stderr.write(await options.usage());
    printErrorLine();
    printErrorLine(`${label} ${error.message}`);
    printDebug(error, options.debug);
    return EXIT_USAGE;
  }
  const { message, hint, expected } = describe(error);
  printErrorLine(`${label} ${message}`);
  if (hint !== undefined && hint !== "") printErrorLine(`  ${style.dim(hint)}`);
  else if (!expected && !options.debug) printErrorLine(`  ${style.dim("Run again with --debug to see the stack trace.")}`);
  printDebug(error, options.debug);
  return EXIT_ERROR;
}

interface Described {
  message: string;
  hint: string | undefined;
  /** A known error kind whose message is complete on its own. */
  expected: boolean;
}

function describe(error: unknown): Described {
  if (error instanceof CliError) return { message: error.message, hint: error.hint, expected: true };
  if (error instanceof ConfigError) return { message: error.message, hint: error.hint, expected: true };
  if (error instanceof Error) return { message: error.message || error.name, hint: undefined, expected: false };
  return { message: String(error), hint: undefined, expected: false };
}

function printDebug(error: unknown, debug: boolean): void {
  if (!debug) return;
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack !== undefined) printErrorLine(stderrStyle().dim(stack));
}
