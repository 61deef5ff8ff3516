// `--mtls-cert/--mtls-key/--mtls-ca`: all three or none, each an existing file. Paths are stored
// absolute (the proxy runs from the MCP client's working directory); "~/…" is kept as written
// and expanded on use.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { expandHome } from "../../../lib/paths/index.ts";
import { failure } from "../../errors.ts";
import { requireAllOrNone } from "../../option-values.ts";

export interface MtlsPaths {
  client_cert_path: string;
  client_key_path: string;
  ca_bundle_path: string;
}

export interface MtlsOptions {
  cert: string | undefined;
  key: string | undefined;
  ca: string | undefined;
}

function storedPath(path: string): string {
  return path === "~" || path.startsWith("~/") ? path : resolve(path);
}

function requireFile(path: string, what: string, flag: string): string {
  const stored = storedPath(path.trim());
  const onDisk = expandHome(stored);
  let isFile = false;
  try {
    isFile = statSync(onDisk).isFile();
  } catch {
    throw failure(`${what} not found: ${onDisk}`, `Check the path given to ${flag}.`);
  }
  if (!isFile) throw failure(`${what} is not a file: ${onDisk}`, `Check the path given to ${flag}.`);
  return stored;
}

/** null when no mTLS option is given. Partial sets are a usage error; missing files exit 1. */
export function resolveMtls(options: MtlsOptions): MtlsPaths | null {
  const given = requireAllOrNone({ "--mtls-cert": options.cert, "--mtls-key": options.key, "--mtls-ca": options.ca });
  if (!given) return null;
  return {
    client_cert_path: requireFile(options.cert ?? "", "mTLS client certificate", "--mtls-cert"),
    client_key_path: requireFile(options.key ?? "", "mTLS client key", "--mtls-key"),
    ca_bundle_path: requireFile(options.ca ?? "", "mTLS CA bundle", "--mtls-ca"),
  };
}
