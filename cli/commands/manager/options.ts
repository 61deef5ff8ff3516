// Options shared by the manager commands, and the conversion of ManagerError to the CLI's error.
import { UI_PORT_MAX, UI_PORT_MIN } from "../../../lib/config/index.ts";
import { ManagerError } from "../../../lib/manager-client/index.ts";
import { CliError, CliErrorCode } from "../../errors.ts";
import { parseIntegerOption } from "../../option-values.ts";

export const portArg = {
  type: "string",
  alias: "p",
  description: `Dashboard and API port on 127.0.0.1 (${UI_PORT_MIN}-${UI_PORT_MAX}; default: ui_port in manager.json)`,
  valueHint: "port",
} as const;

export function parsePort(value: string | undefined): number | undefined {
  return parseIntegerOption(value, "--port", { min: UI_PORT_MIN, max: UI_PORT_MAX });
}

/** ManagerErrors carry a message and hint written for users: show them as they are. */
export function asCliError(error: unknown): unknown {
  return error instanceof ManagerError ? new CliError(CliErrorCode.Failed, error.message, error.hint) : error;
}

/** After the manager stopped, stray handles (an idle HTTP/2 session, a timer) must not keep the process alive. */
export const EXIT_GRACE_MS = 2000;

export function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
