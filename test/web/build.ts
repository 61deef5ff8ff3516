// Builds the dashboard (web/dist) once per run when it is missing or older than its sources, so
// the manager serves the current app. A failed build stops the run with vite's output.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/index.ts";

export const WEB_DIR = join(REPO_ROOT, "web");
export const DIST_DIR = join(WEB_DIR, "dist");
const SOURCES = [join(WEB_DIR, "src"), join(WEB_DIR, "index.html"), join(WEB_DIR, "vite.config.ts")];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist/index.html exists and is newer than every source file. */
export function dashboardIsBuilt(): boolean {
  const index = join(DIST_DIR, "index.html");
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((source) => newestMtime(source) <= built);
}

let building: Promise<void> | null = null;

/** Runs `bun run build` unless web/dist is current; once per process. */
export function ensureDashboardBuilt(): Promise<void> {
  building ??= (async () => {
    if (dashboardIsBuilt()) return;
    const proc = Bun.spawn([process.execPath, "run", "build"], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) {
      building = null;
      throw new Error(`'bun run build' failed (exit ${code}) in ${REPO_ROOT}; fix web/src and rerun.\n${out}\n${err}`);
    }
  })();
  return building;
}
