// Finds every path-like value in tool arguments (spec §3.1 widened per "Beyond the original"):
// the known keys at the top level and one level down (objects, and objects inside arrays),
// string arrays under those keys, and any `file:` URI string wherever it sits at those levels.
// Returns raw strings; normalisation happens in the context builder.

export const SOURCE_KEYS = ["source", "src", "from", "from_path", "source_path", "origin"] as const;
export const DEST_KEYS = [
  "destination",
  "destination_path",
  "dest",
  "to",
  "to_path",
  "dest_path",
  "target",
  "target_path",
] as const;
/** Original generic keys first (their order decides the primary path), then the wider set. */
export const GENERIC_KEYS = [
  "path",
  "file_path",
  "filepath",
  "file",
  "filename",
  "paths",
  "files",
  "directory",
  "dir",
  "cwd",
  "working_directory",
] as const;

export interface ExtractedPaths {
  generic: string[];
  source: string[];
  dest: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function pushStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") {
    if (value !== "") into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "string" && item !== "") into.push(item);
  }
}

function pushFileUris(value: unknown, into: string[]): void {
  if (typeof value === "string") {
    if (/^file:/i.test(value)) into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "string" && /^file:/i.test(item)) into.push(item);
  }
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([...SOURCE_KEYS, ...DEST_KEYS, ...GENERIC_KEYS]);

function extractLevel(args: Record<string, unknown>, out: ExtractedPaths, nested: Record<string, unknown>[] | null): void {
  for (const key of GENERIC_KEYS) pushStrings(args[key], out.generic);
  for (const key of SOURCE_KEYS) pushStrings(args[key], out.source);
  for (const key of DEST_KEYS) pushStrings(args[key], out.dest);
  for (const [key, value] of Object.entries(args)) {
    if (!KNOWN_KEYS.has(key)) pushFileUris(value, out.generic);
    if (nested === null) continue;
    if (isPlainObject(value)) nested.push(value);
    else if (Array.isArray(value)) for (const item of value) if (isPlainObject(item)) nested.push(item);
  }
}

export function extractArgumentPaths(args: unknown): ExtractedPaths {
  const out: ExtractedPaths = { generic: [], source: [], dest: [] };
  if (!isPlainObject(args)) return out;
  const nested: Record<string, unknown>[] = [];
  extractLevel(args, out, nested);
  for (const child of nested) extractLevel(child, out, null);
  return out;
}
