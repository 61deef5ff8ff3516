import { readFileSync } from "node:fs";
import { ConfigError, ConfigErrorCode, describeOsError, errnoCode } from "./errors.ts";

/** How a config file is named in messages, and what to tell the user for each failure. */
export interface ConfigFileKind {
  /** "manager" or "proxy", as in "Invalid JSON in proxy configuration file …". */
  label: string;
  notFoundHint: string;
  fixHint: string;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Reads and parses a JSON config file, turning each failure into its ConfigError: NotFound,
 * ReadFailed (permissions, a directory in the way…) or InvalidJson.
 */
export function readConfigJson(path: string, kind: ConfigFileKind): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") {
      throw new ConfigError(ConfigErrorCode.NotFound, `${capitalise(kind.label)} configuration file not found at ${path}.`, {
        path,
        hint: kind.notFoundHint,
      });
    }
    throw new ConfigError(ConfigErrorCode.ReadFailed, `Cannot read ${kind.label} configuration file ${path}: ${describeOsError(error)}`, {
      path,
      hint: "Check that it is a regular file readable by you (mcp-acp writes it with mode 0600).",
      cause: error,
    });
  }
  // Editors on Windows may prepend a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = text.trim() === "" ? "the file is empty" : describeOsError(error);
    throw new ConfigError(ConfigErrorCode.InvalidJson, `Invalid JSON in ${kind.label} configuration file ${path}: ${detail}`, {
      path,
      hint: kind.fixHint,
      cause: error,
    });
  }
}
