// Startup policy load: a missing or invalid policy.json stops the proxy with exit 11 — without a
// valid policy there is nothing to enforce, and default-deny for everything would look like a
// broken backend.
import { PolicyError, PolicyErrorCode } from "../../../lib/policy/index.ts";
import { PolicyHolder } from "../policy/index.ts";
import type { ProxyLogger } from "../relay/log.ts";
import { StartupError, StartupErrorCode } from "./errors.ts";

export function loadStartupPolicy(name: string, file: string, logger: ProxyLogger): PolicyHolder {
  try {
    return PolicyHolder.load(file, logger);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const missing = error.code === PolicyErrorCode.FileNotFound;
    throw new StartupError(missing ? StartupErrorCode.PolicyNotFound : StartupErrorCode.PolicyInvalid, error.message, {
      hint: missing
        ? `Create it with 'mcp-acp policy edit --proxy ${name}' (a new proxy gets a deny-all policy from 'mcp-acp proxy add').`
        : `Fix it with 'mcp-acp policy edit --proxy ${name}' and check it with 'mcp-acp policy validate --proxy ${name}'.`,
      cause: error,
    });
  }
}
