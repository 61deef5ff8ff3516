import { mkdtempSync, rmSync } from "node:fs";

/** A short private temp dir for sockets (sun_path is only ~104-108 bytes). */
export function makeSocketDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync("/tmp/mcpacp-rpc-");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
