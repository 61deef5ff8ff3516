// Versions for optimistic updates of config.json and policy.json: the SHA-256 of the file's bytes
// ("sha256:<64 hex>", the checksum the proxy's history logs record). Any change, a manual edit
// included, gives a new version; a missing file has the version "".
import { readFileSync } from "node:fs";
import { Code, type ConnectError } from "@connectrpc/connect";
import { fileChecksum } from "../../../../lib/audit/index.ts";
import { apiError } from "../../gateway/index.ts";

export interface VersionedFile {
  /** The file's text; null when it does not exist. */
  text: string | null;
  version: string;
}

export function readVersioned(path: string): VersionedFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT") return { text: null, version: "" };
    throw error;
  }
  return { text: bytes.toString("utf8"), version: fileChecksum(bytes) };
}

export function versionOf(text: string): string {
  return fileChecksum(Buffer.from(text, "utf8"));
}

/** ABORTED "<KIND>_VERSION_MISMATCH" when the edit was based on another version of the file. */
export function versionMismatch(kind: "CONFIG" | "POLICY", path: string, expected: string, current: string): ConnectError {
  const what = kind === "CONFIG" ? "config" : "policy";
  const field = kind === "CONFIG" ? "expected_version" : "expected_policy_version";
  const basis = expected === "" ? `no ${field} was given` : `the edit is based on ${expected}`;
  return apiError(Code.Aborted, `${kind}_VERSION_MISMATCH`, `The ${what} file ${path} changed (${basis}, the file is now ${current === "" ? "missing" : current}); reload it and apply the edit again.`, {
    details: { path, expected_version: expected, current_version: current },
  });
}
