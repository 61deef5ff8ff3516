// The CLI's own error domain. Library errors (ConfigError, …) are converted at the edge in
// report-error.ts; commands throw CliError for what only the CLI knows (usage, prompts, tools).

export enum CliErrorCode {
  /** Bad command line: unknown command/option, missing or malformed option value. Exit 2. */
  Usage = "CLI_USAGE",
  /** The operation failed for a reason the user can fix (bad value, missing file…). Exit 1. */
  Failed = "CLI_FAILED",
  /** The user declined a confirmation or closed the prompt input. Exit 1. */
  Aborted = "CLI_ABORTED",
  /** A helper program (editor, clipboard tool) could not be run or failed. Exit 1. */
  ToolFailed = "CLI_TOOL_FAILED",
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, hint?: string) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.hint = hint;
  }

  get exitCode(): number {
    return this.code === CliErrorCode.Usage ? EXIT_USAGE : EXIT_ERROR;
  }
}

export function usageError(message: string): CliError {
  return new CliError(CliErrorCode.Usage, message);
}

export function failure(message: string, hint?: string): CliError {
  return new CliError(CliErrorCode.Failed, message, hint);
}
