import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AppPaths } from "./app-paths.ts";

/**
 * Socket paths longer than this use a hashed file name. sun_path holds 104 bytes on macOS and 108
 * on Linux (including the NUL); 100 leaves a margin and gives the same answer on both.
 */
export const MAX_SOCKET_PATH_BYTES = 100;

/** `<runtime>/proxy_<name>.sock`, or `proxy_<16 hex of sha256(name)>.sock` when that is too long. */
export const controlSocketPath = (p: AppPaths, name: string): string => {
  const plain = join(p.runtimeDir, `proxy_${name}.sock`);
  if (Buffer.byteLength(plain) <= MAX_SOCKET_PATH_BYTES) return plain;
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 16);
  return join(p.runtimeDir, `proxy_${digest}.sock`);
};

/** The manager's gRPC ManagerLink socket. */
export const managerSocketPath = (p: AppPaths): string => join(p.runtimeDir, "manager.sock");

/** The manager's Connect API for the CLI (no token; protected by the 0700 runtime dir). */
export const apiSocketPath = (p: AppPaths): string => join(p.runtimeDir, "api.sock");
