// STDIO backend: spawns the configured MCP server with a minimal environment and speaks
// newline-delimited JSON-RPC over its stdin/stdout. Its stderr goes, line by line, to the
// injected logger (the proxy's system log); stdout is parsed and never passed on raw. The
// child's exit is observed (code or signal) and reported once through onexit, after its last
// output has been read, so a response written just before a crash is still delivered.
import { decodeLine, type InputProblem, oversizedProblem } from "../relay/decode.ts";
import type { JSONRPCMessage, RequestId } from "../relay/jsonrpc.ts";
import { type FrameEvent, LineFramer } from "../relay/line-framer.ts";
import type { ProxyLogger } from "../relay/log.ts";
import type { BackendExit, RelayBackend } from "../relay/transports.ts";
import { minimalEnv } from "./env.ts";
import { BackendError, BackendErrorCode } from "./errors.ts";

/** Backends may legitimately answer with large results (files, images): a high cap. */
export const DEFAULT_BACKEND_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const STDERR_MAX_LINE_CHARS = 8192;
/** After the child exits, how long its stdout may keep draining (a grandchild may hold it). */
const STDOUT_DRAIN_AFTER_EXIT_MS = 500;

export interface StdioBackendOptions {
  command: string;
  args?: readonly string[];
  logger: ProxyLogger;
  /** backend.server_name, for log lines. */
  serverName?: string;
  /** The child's whole environment. Default: minimalEnv(process.env). */
  env?: Record<string, string>;
  cwd?: string;
  maxMessageBytes?: number;
  /** On close: how long to wait after closing the child's stdin before SIGTERM. */
  stdinGraceMs?: number;
  /** On close: how long to wait after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

type Child = Bun.Subprocess<"pipe", "pipe", "pipe">;

export class StdioBackendTransport implements RelayBackend {
  readonly kind = "stdio" as const;
  readonly target: string;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  oninvalid?: ((problem: InputProblem) => void) | undefined;
  onexit?: ((exit: BackendExit) => void) | undefined;
  onrequestfailed?: ((ids: readonly RequestId[], error: Error) => void) | undefined;

  /** Settles when the child has exited and its output has been read. */
  readonly exitStatus: Promise<BackendExit>;

  private readonly options: StdioBackendOptions;
  private readonly framer: LineFramer;
  private child: Child | null = null;
  private exit: BackendExit | null = null;
  private closing = false;
  private resolveExit: (exit: BackendExit) => void = () => {};
  private readonly emitFrame = (event: FrameEvent): void => this.dispatch(event);

  constructor(options: StdioBackendOptions) {
    this.options = options;
    this.target = [options.command, ...(options.args ?? [])].join(" ");
    this.framer = new LineFramer(options.maxMessageBytes ?? DEFAULT_BACKEND_MAX_MESSAGE_BYTES);
    this.exitStatus = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exited(): BackendExit | null {
    return this.exit;
  }

  async start(): Promise<void> {
    if (this.child !== null) throw new Error("StdioBackendTransport already started");
    const env = this.options.env ?? minimalEnv(process.env);
    const executable = resolveCommand(this.options.command, env.PATH ?? "", this.options.cwd);
    let child: Child;
    try {
      child = Bun.spawn({
        cmd: [executable, ...(this.options.args ?? [])],
        argv0: this.options.command,
        env,
        cwd: this.options.cwd,
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new BackendError(
        BackendErrorCode.SpawnFailed,
        `Could not start the backend command '${this.options.command}': ${detail}`,
        { hint: "Check backend.stdio.command and backend.stdio.args in the proxy's config.json.", cause: error },
      );
    }
    this.child = child;
    const stdoutDone = this.readStdout(child);
    void this.readStderr(child);
    void this.watchExit(child, stdoutDone);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const child = this.child;
    if (child === null || this.exit !== null || this.closing) {
      throw new BackendError(BackendErrorCode.Exited, `The backend process (${this.target}) is not running`);
    }
    try {
      child.stdin.write(`${JSON.stringify(message)}\n`);
      const flushed = child.stdin.flush();
      if (flushed instanceof Promise) await flushed;
    } catch (error) {
      throw new BackendError(BackendErrorCode.Exited, `The backend process (${this.target}) stopped accepting input`, {
        cause: error,
      });
    }
  }

  /** Closes stdin, then SIGTERM after stdinGraceMs, then SIGKILL after killGraceMs. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.closing = true;
    if (this.exit === null) await this.terminate(child);
    await this.exitStatus;
  }

  private async terminate(child: Child): Promise<void> {
    const stdinGrace = this.options.stdinGraceMs ?? 2000;
    const killGrace = this.options.killGraceMs ?? 2000;
    try {
      await child.stdin.end();
    } catch {
      // already closed
    }
    if (await exitsWithin(child, stdinGrace)) return;
    child.kill("SIGTERM");
    if (await exitsWithin(child, killGrace)) return;
    this.options.logger.warn(`Backend ${this.name()} ignored SIGTERM for ${killGrace} ms; sending SIGKILL`);
    child.kill("SIGKILL");
    await child.exited;
  }

  private async readStdout(child: Child): Promise<void> {
    const reader = child.stdout.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.framer.push(value, this.emitFrame);
      }
      this.framer.end(this.emitFrame);
    } catch (error) {
      if (this.exit === null && !this.closing) {
        this.options.logger.warn(`Reading the output of backend ${this.name()} failed: ${String(error)}`);
      }
    } finally {
      reader.releaseLock();
    }
  }

  private async readStderr(child: Child): Promise<void> {
    const decoder = new TextDecoder();
    let partial = "";
    const logLine = (line: string): void => {
      const text = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (text.length === 0) return;
      const clipped = text.length > STDERR_MAX_LINE_CHARS ? `${text.slice(0, STDERR_MAX_LINE_CHARS)}… (truncated)` : text;
      this.options.logger.info(`backend stderr: ${clipped}`, { server: this.options.serverName, pid: child.pid });
    };
    try {
      for await (const chunk of child.stderr) {
        partial += decoder.decode(chunk, { stream: true });
        let newline = partial.indexOf("\n");
        while (newline !== -1) {
          logLine(partial.slice(0, newline));
          partial = partial.slice(newline + 1);
          newline = partial.indexOf("\n");
        }
        if (partial.length > STDERR_MAX_LINE_CHARS) {
          logLine(partial);
          partial = "";
        }
      }
      logLine(partial + decoder.decode());
    } catch {
      // stderr closed with the process; nothing more to log
    }
  }

  private async watchExit(child: Child, stdoutDone: Promise<void>): Promise<void> {
    await child.exited;
    await Promise.race([stdoutDone, Bun.sleep(STDOUT_DRAIN_AFTER_EXIT_MS)]);
    const signal = child.signalCode;
    const exit: BackendExit = { code: child.exitCode, signal: signal === null ? null : String(signal) };
    this.exit = exit;
    if (!this.closing) {
      try {
        this.onexit?.(exit);
      } catch (error) {
        this.options.logger.error(`Backend exit handler failed: ${String(error)}`);
      }
    }
    this.resolveExit(exit);
    this.onclose?.();
  }

  private dispatch(event: FrameEvent): void {
    if (event.kind === "oversized") {
      this.oninvalid?.(oversizedProblem(event.bytes, this.framer.maxLineBytes, event.fields));
      return;
    }
    const decoded = decodeLine(event.text, event.bytes);
    if (decoded.ok) this.onmessage?.(decoded.message);
    else this.oninvalid?.(decoded.problem);
  }

  private name(): string {
    return this.options.serverName ? `'${this.options.serverName}'` : `(${this.target})`;
  }
}

/** Resolves the command once, against the child's PATH, so "not found" is a clear error and
 * the process that runs is the file that was found. */
export function resolveCommand(command: string, path: string, cwd?: string): string {
  if (command.trim() === "") {
    throw new BackendError(BackendErrorCode.SpawnFailed, "The backend command is empty", {
      hint: "Set backend.stdio.command in the proxy's config.json.",
    });
  }
  const found = Bun.which(command, { PATH: path, cwd });
  if (found !== null) return found;
  const where = command.includes("/") ? "does not exist or is not executable" : `was not found in PATH (${path || "empty"})`;
  throw new BackendError(BackendErrorCode.SpawnFailed, `The backend command '${command}' ${where}`, {
    hint: "Check backend.stdio.command in the proxy's config.json, or use an absolute path.",
  });
}

function exitsWithin(child: Child, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void child.exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
