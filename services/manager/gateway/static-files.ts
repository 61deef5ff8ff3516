import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, posix, sep } from "node:path";
import {
  DEFAULT_DASHBOARD_BUILD_COMMAND,
  IMMUTABLE_CACHE_CONTROL,
  INDEX_CACHE_CONTROL,
  STATIC_CACHE_CONTROL,
} from "./constants.ts";
import type { NodeRequest, NodeResponse } from "./node-types.ts";
import { sendHtml } from "./responses.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
};

export interface StaticFilesOptions {
  /** The built dashboard (index.html, assets/…); null or missing → the "not built" page. */
  dir: string | null | undefined;
  /** Named on the "not built" page. */
  buildCommand?: string;
}

type Resolved = { kind: "file"; path: string } | { kind: "missing" } | { kind: "refused" };

/** URL path → a file strictly inside root (symlinks resolved), or why not. */
async function resolveInside(root: string, urlPath: string): Promise<Resolved> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: "refused" };
  }
  if (decoded.includes("\0") || decoded.includes("\\") || decoded.split("/").includes("..")) return { kind: "refused" };
  const relative = posix.normalize(decoded).replace(/^\/+/, "");
  const candidate = join(root, relative === "" ? "index.html" : relative);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: "missing" };
  }
  if (real !== root && !real.startsWith(root + sep)) return { kind: "refused" };
  const info = await stat(real).catch(() => undefined);
  if (!info) return { kind: "missing" };
  if (info.isDirectory()) {
    const index = join(real, "index.html");
    return (await stat(index).catch(() => undefined))?.isFile() ? { kind: "file", path: index } : { kind: "missing" };
  }
  return info.isFile() ? { kind: "file", path: real } : { kind: "missing" };
}

function cacheControlFor(root: string, file: string): string {
  if (file === join(root, "index.html")) return INDEX_CACHE_CONTROL;
  if (file.startsWith(join(root, "assets") + sep)) return IMMUTABLE_CACHE_CONTROL;
  return STATIC_CACHE_CONTROL;
}

async function sendFile(req: NodeRequest, res: NodeResponse, file: string, cacheControl: string): Promise<void> {
  const body = await readFile(file);
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": body.byteLength,
    "cache-control": cacheControl,
  });
  if (req.method === "HEAD") res.end();
  else res.end(body);
}

function sendNotBuilt(res: NodeResponse, buildCommand: string): void {
  sendHtml(res, 503, "Dashboard not built", [
    "The manager API is running, but the dashboard's files are missing.",
    `Build them with: ${buildCommand}`,
    "Then reload this page.",
  ]);
}

/**
 * Serves the built single-page app. Paths outside the directory (.., encoded or through a
 * symlink) get 404. A missing path without a file extension gets index.html, so client-side
 * routes load the app; a missing file with an extension (a stale asset) gets 404 instead of HTML.
 */
export function createStaticHandler(options: StaticFilesOptions): (req: NodeRequest, res: NodeResponse) => Promise<void> {
  const buildCommand = options.buildCommand ?? DEFAULT_DASHBOARD_BUILD_COMMAND;
  let rootPromise: Promise<string | undefined> | undefined;
  // Resolved on first use and again while missing, so a build made after start is picked up.
  const root = async (): Promise<string | undefined> => {
    if (!options.dir) return undefined;
    rootPromise ??= realpath(options.dir).catch(() => undefined);
    const resolved = await rootPromise;
    if (resolved === undefined) rootPromise = undefined;
    return resolved;
  };

  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      sendHtml(res, 405, "Method not allowed", [`${req.method ?? "This method"} is not served here.`]);
      return;
    }
    const dir = await root();
    const index = dir === undefined ? undefined : join(dir, "index.html");
    if (dir === undefined || index === undefined || !(await stat(index).catch(() => undefined))?.isFile()) {
      sendNotBuilt(res, buildCommand);
      return;
    }
    const urlPath = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const resolved = await resolveInside(dir, urlPath);
    if (resolved.kind === "file") {
      await sendFile(req, res, resolved.path, cacheControlFor(dir, resolved.path));
      return;
    }
    const lastSegment = urlPath.slice(urlPath.lastIndexOf("/") + 1);
    if (resolved.kind === "refused" || extname(lastSegment) !== "") {
      sendHtml(res, 404, "Not found", ["There is no such file."]);
      return;
    }
    await sendFile(req, res, index, INDEX_CACHE_CONTROL);
  };
}
