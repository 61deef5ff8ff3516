// Builds the immutable decision context for one MCP message (spec §3). Pure: the clock, the
// working directory and the home directory come in as parameters.

import { classifyMethod, intentForMethod, resourceTypeForMethod } from "./classify.ts";
import { extractArgumentPaths } from "./extract-paths.ts";
import type {
  DecisionContext,
  PathTarget,
  ResourceAttrs,
  ResourceType,
  Subject,
  ToolAttrs,
} from "./model.ts";
import { inferOperation } from "./operations.ts";
import {
  type PathNormalizeOptions,
  decodeFileUri,
  normalizeRequestPath,
  pathExtension,
  pathFilename,
  pathParentDir,
} from "./paths.ts";
import { lookupSideEffects } from "./side-effects.ts";

export interface ContextInput {
  method: string;
  /** JSON-RPC `params` as received. */
  params?: unknown;
  subject: Subject;
  /** Configured backend server name (`backend_id` conditions). */
  backendId: string;
  /** Name of this proxy instance. */
  proxyName: string;
  requestId?: string | number | null;
  sessionId?: string | null;
  clientName?: string | null;
  clientVersion?: string | null;
  /** Defaults to the current time. */
  now?: Date;
  /** How relative and `~` paths are resolved; see PathNormalizeOptions. */
  paths?: PathNormalizeOptions;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

interface PathSlots {
  primary: string | null;
  source: string | null;
  dest: string | null;
  paths: string[];
  targets: PathTarget[];
}

const NO_PATHS: PathSlots = { primary: null, source: null, dest: null, paths: [], targets: [] };

function slotsFromArguments(args: unknown, options: PathNormalizeOptions | undefined): PathSlots {
  const raw = extractArgumentPaths(args);
  const norm = (list: string[]): string[] => list.map((p) => normalizeRequestPath(p, options));
  const generic = norm(raw.generic);
  const sources = norm(raw.source);
  const dests = norm(raw.dest);
  const source = sources[0] ?? null;
  const dest = dests[0] ?? null;
  const primary = generic[0] ?? source ?? dest;
  if (primary === null) return NO_PATHS;
  const sourceSet = new Set(sources);
  const destSet = new Set(dests);
  const paths = [...new Set([primary, ...generic, ...sources, ...dests])];
  // Each target carries itself as source/destination when it is one, so every source and every
  // destination of a multi-path call is tested against source_path/dest_path conditions.
  const targets = paths.map((path) => ({
    path,
    extension: pathExtension(path),
    sourcePath: sourceSet.has(path) ? path : source,
    destPath: destSet.has(path) ? path : dest,
  }));
  return { primary, source, dest, paths, targets };
}

function resourceFromUri(uri: string, options: PathNormalizeOptions | undefined): Partial<ResourceAttrs> {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  if (match === null) return { uri };
  const scheme = (match[1] as string).toLowerCase();
  if (scheme !== "file" || decodeFileUri(uri) === "") return { uri, scheme };
  const path = normalizeRequestPath(uri, options);
  const target: PathTarget = { path, extension: pathExtension(path), sourcePath: null, destPath: null };
  return { uri, scheme, path, paths: [path], targets: [target] };
}

function toolAttrs(method: string, params: Record<string, unknown> | null): ToolAttrs | null {
  if (method !== "tools/call") return null;
  const name = params?.["name"];
  if (typeof name !== "string" || name === "") return null;
  const sideEffects = lookupSideEffects(name);
  return {
    name,
    sideEffects,
    sideEffectsKnown: sideEffects !== null,
    operation: inferOperation(name),
    arguments: params?.["arguments"],
  };
}

function buildResource(input: ContextInput, type: ResourceType, params: Record<string, unknown> | null): ResourceAttrs {
  const options = input.paths;
  let found: Partial<ResourceAttrs> = {};
  let slots = NO_PATHS;
  if (type === "tool") {
    slots = slotsFromArguments(params?.["arguments"], options);
  } else if (type === "resource") {
    const uri = params?.["uri"];
    if (typeof uri === "string" && uri !== "") found = resourceFromUri(uri, options);
    else slots = slotsFromArguments(params, options);
  }
  const path = found.path ?? slots.primary;
  return {
    type,
    serverId: input.backendId,
    tool: toolAttrs(input.method, params),
    uri: found.uri ?? null,
    scheme: found.scheme ?? null,
    path,
    sourcePath: slots.source,
    destPath: slots.dest,
    filename: path === null ? null : pathFilename(path),
    extension: path === null ? null : pathExtension(path),
    parentDir: path === null ? null : pathParentDir(path),
    paths: found.paths ?? slots.paths,
    targets: found.targets ?? slots.targets,
  };
}

/** Throws PolicyError(ContextBuild) for a path the engine refuses to reason about (NUL, bad URI). */
export function buildDecisionContext(input: ContextInput): DecisionContext {
  const method = input.method;
  const params = record(input.params);
  const type = resourceTypeForMethod(method);
  const intent = intentForMethod(method);
  return {
    subject: input.subject,
    action: {
      mcpMethod: method,
      name: method.replaceAll("/", "."),
      intent,
      category: classifyMethod(method),
    },
    resource: buildResource(input, type, params),
    environment: {
      timestamp: (input.now ?? new Date()).toISOString(),
      requestId: input.requestId === null || input.requestId === undefined ? "unknown" : String(input.requestId),
      sessionId: input.sessionId ?? "unknown",
      mcpClientName: input.clientName ?? null,
      mcpClientVersion: input.clientVersion ?? null,
      proxyInstance: input.proxyName,
    },
  };
}
