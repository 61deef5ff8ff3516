// Collects validation issues so one pass reports every mistake.

import type { PolicyIssue, PolicyIssueType } from "./errors.ts";

export class IssueList {
  readonly items: PolicyIssue[] = [];

  add(loc: string, type: PolicyIssueType, msg: string): void {
    this.items.push({ loc, type, msg });
  }

  get count(): number {
    return this.items.length;
  }
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Assigns without ever touching the prototype, even for a key named `__proto__`. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function listAllowed(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(", ");
}
