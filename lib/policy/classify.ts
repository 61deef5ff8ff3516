// Method classification (spec §2): discovery methods bypass the rules; everything else,
// including unknown and custom methods, is an action and is evaluated.

import type { MethodCategory, ResourceType } from "./model.ts";

export const DISCOVERY_METHODS: ReadonlySet<string> = new Set([
  "initialize",
  "ping",
  "tools/list",
  "resources/list",
  "resources/templates/list",
  "prompts/list",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
  "notifications/roots/list_changed",
  "notifications/resources/list_changed",
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
]);

export function classifyMethod(method: string): MethodCategory {
  return DISCOVERY_METHODS.has(method) ? "discovery" : "action";
}

export function resourceTypeForMethod(method: string): ResourceType {
  if (method === "tools/call") return "tool";
  if (method.startsWith("resources/")) return "resource";
  if (method.startsWith("prompts/")) return "prompt";
  return "server";
}

/** Only `resources/read` declares an intent; a tool's name proves nothing about what it does. */
export function intentForMethod(method: string): "read" | null {
  return method === "resources/read" ? "read" : null;
}
