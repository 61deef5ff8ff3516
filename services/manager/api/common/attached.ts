// Which attached proxy a forwarded call goes to (spec manager.md §12 "Proxy selection"): the named
// one (by name or proxy_id); with no name the only attached proxy. None attached → UNAVAILABLE,
// several → FAILED_PRECONDITION listing them, a configured but stopped proxy → UNAVAILABLE
// "PROXY_NOT_RUNNING", an unknown one → NOT_FOUND.
import { Code, type ConnectError } from "@connectrpc/connect";
import { apiError, domainError } from "../../gateway/index.ts";
import type { AttachedProxy, ManagerApiDeps } from "../deps.ts";
import { findConfiguredProxy, proxyNotFound } from "./proxy-ref.ts";

/** The attached proxy named `ref` (name first, then proxy_id), if any. */
export function findAttached(deps: ManagerApiDeps, ref: string): AttachedProxy | undefined {
  const all = deps.registry.list();
  return all.find((p) => p.proxyName === ref) ?? all.find((p) => p.proxyId === ref);
}

export function attachedNames(deps: ManagerApiDeps): string[] {
  return deps.registry
    .list()
    .map((p) => p.proxyName)
    .sort();
}

export function proxyNotRunning(name: string): ConnectError {
  return apiError(Code.Unavailable, "PROXY_NOT_RUNNING", `Proxy '${name}' is not running (not attached to the manager). Start it from its MCP client, then try again.`, {
    details: { proxy: name },
  });
}

export function selectAttached(deps: ManagerApiDeps, ref: string): AttachedProxy {
  if (ref.trim() !== "") {
    const attached = findAttached(deps, ref);
    if (attached !== undefined) return attached;
    const configured = findConfiguredProxy(deps, ref);
    if (configured !== undefined) throw proxyNotRunning(configured.name);
    throw proxyNotFound(deps, ref);
  }
  const all = deps.registry.list();
  const [only, ...rest] = all;
  if (only === undefined) {
    throw domainError("PROXY_UNAVAILABLE", "No proxy is attached to the manager: start one from its MCP client, then try again.", {
      details: { available: "" },
    });
  }
  if (rest.length > 0) {
    const names = attachedNames(deps);
    throw domainError("PROXY_AMBIGUOUS", `Several proxies are running (${names.join(", ")}); name one in the proxy field.`, {
      details: { available: names.join(",") },
    });
  }
  return only;
}
