// The config domain's single error class. Validation collects every problem so a user fixes a file
// in one pass; the CLI prints `message` and then `hint`.

export enum ConfigErrorCode {
  NotFound = "CONFIG_NOT_FOUND",
  InvalidJson = "CONFIG_INVALID_JSON",
  Invalid = "CONFIG_INVALID",
  ReadFailed = "CONFIG_READ_FAILED",
  WriteFailed = "CONFIG_SAVE_FAILED",
  InvalidName = "PROXY_INVALID_NAME",
  ProxyExists = "PROXY_EXISTS",
  ProxyNotFound = "PROXY_NOT_FOUND",
  AlreadyInitialized = "CONFIG_EXISTS",
}

export interface ConfigIssue {
  /** Dotted location, e.g. `backend.http.timeout`; `(root)` for the document itself. */
  loc: string;
  msg: string;
}

export interface ConfigErrorOptions {
  path?: string;
  issues?: ConfigIssue[];
  hint?: string;
  cause?: unknown;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly path?: string;
  readonly issues: ConfigIssue[];
  readonly hint?: string;

  constructor(code: ConfigErrorCode, message: string, options: ConfigErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    this.issues = options.issues ?? [];
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** One `  - <loc>: <msg>` line per issue. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `  - ${i.loc}: ${i.msg}`).join("\n");
}

/** The OS error's text for messages (Node's include the errno code and the path). */
export function describeOsError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/** WriteFailed for a config file whose directory could not be created or tightened. */
export function directoryWriteError(dir: string, path: string, error: unknown): ConfigError {
  return new ConfigError(ConfigErrorCode.WriteFailed, `Failed to write ${path}: cannot create directory ${dir}: ${describeOsError(error)}`, {
    path,
    hint: "Check that the parent directory is writable and no file is in the way.",
    cause: error,
  });
}
