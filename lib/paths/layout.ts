import { join } from "node:path";
import { expandHome } from "./home.ts";
import type { AppPaths } from "./app-paths.ts";

// File layout of spec cli-config-auth.md §1. Names are not validated here (lib/config does that
// before any path is built from user input).

export const managerConfigPath = (p: AppPaths): string => join(p.configDir, "manager.json");
export const proxiesDir = (p: AppPaths): string => join(p.configDir, "proxies");
export const proxyDir = (p: AppPaths, name: string): string => join(proxiesDir(p), name);
export const proxyConfigPath = (p: AppPaths, name: string): string => join(proxyDir(p, name), "config.json");
export const proxyPolicyPath = (p: AppPaths, name: string): string => join(proxyDir(p, name), "policy.json");
export const proxyBootstrapLogPath = (p: AppPaths, name: string): string => join(proxyDir(p, name), "bootstrap.jsonl");
export const archiveDir = (p: AppPaths): string => join(p.configDir, "archive");
export const tokensFilePath = (p: AppPaths): string => join(p.configDir, "tokens.enc");
export const emergencyAuditPath = (p: AppPaths): string => join(p.configDir, "emergency_audit.jsonl");

/** `<expanded log_dir>/mcp-acp`: the root of every log file. */
export const logRoot = (logDir: string): string => join(expandHome(logDir), "mcp-acp");
export const managerLogDir = (logDir: string): string => join(logRoot(logDir), "manager");
export const proxyLogDir = (logDir: string, name: string): string => join(logRoot(logDir), "proxies", name);

export const managerPidPath = (p: AppPaths): string => join(p.runtimeDir, "manager.pid");
export const managerLockPath = (p: AppPaths): string => join(p.runtimeDir, "manager.lock");
