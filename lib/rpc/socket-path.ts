import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { dirname, resolve } from "node:path";
import { RpcCode, RpcError } from "./rpc-error.ts";

/**
 * Longest usable Unix socket path in bytes: sizeof(sun_path) minus the terminating NUL.
 * Linux has 108 bytes, macOS and the BSDs 104.
 */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === "linux" ? 107 : 103;
}

/** Throws a clear error when the path does not fit into sun_path (bind would fail obscurely). */
export function checkSocketPathLength(path: string, platform: NodeJS.Platform = process.platform): void {
  const bytes = Buffer.byteLength(path);
  const max = maxSocketPathBytes(platform);
  if (bytes > max) {
    throw new RpcError(
      RpcCode.INVALID_ARGUMENT,
      `socket path ${path} is ${bytes} bytes long; ${platform} allows at most ${max}. ` +
        `Use a shorter directory (for example set MCP_ACP_HOME to a short path).`,
    );
  }
}

/** True when something accepts a connection on the socket within timeoutMs. */
export function isSocketLive(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((settle) => {
    const socket = connect(path);
    const finish = (live: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      settle(live);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("connect", () => finish(true));
    // EAGAIN: the listen backlog is full, so a server is there, just busy.
    socket.once("error", (error: NodeJS.ErrnoException) => finish(error.code === "EAGAIN"));
  });
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/**
 * Makes a path ready for bind: checks its length, creates a missing parent directory with mode
 * 0700, and removes a stale socket (or leftover regular file) that nothing serves any more.
 * Throws ALREADY_EXISTS when a live server answers on the path. Returns the absolute path.
 */
export async function prepareSocketPath(path: string, liveCheckTimeoutMs = 1000): Promise<string> {
  const absolute = resolve(path);
  checkSocketPathLength(absolute);
  const parent = dirname(absolute);
  const parentExisted = await lstat(parent).then(
    () => true,
    () => false,
  );
  if (!parentExisted) {
    await mkdir(parent, { recursive: true, mode: 0o700 });
    await chmod(parent, 0o700); // mkdir's mode is filtered by the umask
  }

  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return absolute;
    throw error;
  }
  if (!stats.isSocket() && !stats.isFile()) {
    throw new RpcError(
      RpcCode.FAILED_PRECONDITION,
      `cannot bind ${absolute}: the path exists and is not a socket or a regular file; remove it by hand`,
    );
  }
  if (stats.isSocket() && (await isSocketLive(absolute, liveCheckTimeoutMs))) {
    throw new RpcError(
      RpcCode.ALREADY_EXISTS,
      `another process is already serving ${absolute}; stop it first or use a different socket path`,
    );
  }
  try {
    await unlink(absolute);
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw error;
  }
  return absolute;
}
