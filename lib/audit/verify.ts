// verifyFile (spec audit.md §5.4, one function for startup, monitor, CLI and RPCs): streams one
// chained log in 1 MiB chunks through the chain verifier, with identity, state and witness checks.
// The sync form is for the startup gate and the CLI; the async form yields between chunks so a
// running proxy keeps serving while it verifies.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type BigIntStats } from "node:fs";
import { open, lstat } from "node:fs/promises";
import { ChainVerifier } from "./chain-verifier.ts";
import { describeError, errnoCode } from "./errors.ts";
import { LineSplitter } from "./line-splitter.ts";
import type { FileIdentity, VerifyFileOptions, VerifyFileResult } from "./verify-types.ts";

// A line caught mid-append by a concurrent writer looks torn; re-read a few times before saying so.
const TORN_RECHECKS = 3;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function identityOf(stats: BigIntStats): FileIdentity {
  return { inode: stats.ino.toString(), device: stats.dev.toString() };
}

function kindOf(stats: { isDirectory(): boolean; isSymbolicLink(): boolean }): string {
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isDirectory()) return "a directory";
  return "a special file";
}

function readFailure(path: string, label: string, error: unknown): VerifyFileResult {
  return ChainVerifier.unreadable(path, label, `Cannot read ${label} (${path}): ${describeError(error)}`);
}

/** Verifies one chained log file; never throws for file problems (they are in the result). */
export function verifyFile(path: string, options: VerifyFileOptions = {}): VerifyFileResult {
  const label = options.label ?? path;
  try {
    const link = lstatSync(path);
    if (!link.isFile()) return ChainVerifier.notRegular(path, label, kindOf(link));
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return ChainVerifier.missing(path, label, options.state);
    return readFailure(path, label, error);
  }
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return ChainVerifier.missing(path, label, options.state);
    if (errnoCode(error) === "ELOOP") return ChainVerifier.notRegular(path, label, "a symbolic link");
    return readFailure(path, label, error);
  }
  try {
    const verifier = new ChainVerifier(options, label);
    const splitter = new LineSplitter(verifier, options.resume?.entryOffset ?? 0, options.resume?.line ?? 1);
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) return ChainVerifier.notRegular(path, label, kindOf(stats));
    let size = Number(stats.size);
    let rechecks = 0;
    for (;;) {
      const { buffer, offset, length } = splitter.target();
      const count = readSync(fd, buffer, offset, length, splitter.readPosition);
      if (count > 0) {
        splitter.commit(count);
        continue;
      }
      const readSoFar = splitter.completeSize + splitter.pendingBytes;
      if (splitter.pendingBytes > 0 && rechecks < TORN_RECHECKS) {
        rechecks++;
        const now = Number(fstatSync(fd, { bigint: true }).size);
        if (now > readSoFar) continue;
      }
      size = Math.max(size, readSoFar);
      break;
    }
    splitter.finish();
    return verifier.finish({ path, identity: identityOf(stats), fileSize: size, verifiedSize: splitter.completeSize });
  } catch (error) {
    return readFailure(path, label, error);
  } finally {
    closeSync(fd);
  }
}

/** verifyFile that reads asynchronously, letting other work run between chunks. */
export async function verifyFileAsync(path: string, options: VerifyFileOptions = {}): Promise<VerifyFileResult> {
  const label = options.label ?? path;
  try {
    const link = await lstat(path);
    if (!link.isFile()) return ChainVerifier.notRegular(path, label, kindOf(link));
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return ChainVerifier.missing(path, label, options.state);
    return readFailure(path, label, error);
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return ChainVerifier.missing(path, label, options.state);
    if (errnoCode(error) === "ELOOP") return ChainVerifier.notRegular(path, label, "a symbolic link");
    return readFailure(path, label, error);
  }
  try {
    const verifier = new ChainVerifier(options, label);
    const splitter = new LineSplitter(verifier, options.resume?.entryOffset ?? 0, options.resume?.line ?? 1);
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) return ChainVerifier.notRegular(path, label, kindOf(stats));
    let size = Number(stats.size);
    let rechecks = 0;
    for (;;) {
      const { buffer, offset, length } = splitter.target();
      const { bytesRead } = await handle.read(buffer, offset, length, splitter.readPosition);
      if (bytesRead > 0) {
        splitter.commit(bytesRead);
        continue;
      }
      const readSoFar = splitter.completeSize + splitter.pendingBytes;
      if (splitter.pendingBytes > 0 && rechecks < TORN_RECHECKS) {
        rechecks++;
        const now = Number((await handle.stat({ bigint: true })).size);
        if (now > readSoFar) continue;
      }
      size = Math.max(size, readSoFar);
      break;
    }
    splitter.finish();
    return verifier.finish({ path, identity: identityOf(stats), fileSize: size, verifiedSize: splitter.completeSize });
  } catch (error) {
    return readFailure(path, label, error);
  } finally {
    await handle.close();
  }
}
