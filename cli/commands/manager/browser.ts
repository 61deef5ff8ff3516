// Opens a URL in the user's browser with the platform's opener, when there is one.
import { spawn } from "node:child_process";

function openerFor(platform: NodeJS.Platform): string | null {
  if (platform === "darwin") return Bun.which("open");
  if (platform === "win32") return null;
  return Bun.which("xdg-open");
}

/** True when an opener was started (it may still fail to find a browser; that is its business). */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform): boolean {
  const opener = openerFor(platform);
  if (opener === null) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: "ignore" });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
