// The OS account running the manager: in local identity mode it is who approves from the
// dashboard. Looked up as the proxy names its local subject (`id -un` for the uid, not $USER,
// which any caller could set), so dashboard approvals match the proxy's subject. services/proxy
// and services/manager may not import each other, hence this small twin of the proxy's lookup.
import { userInfo } from "node:os";

const ID_TIMEOUT_MS = 2000;
let cached: string | undefined;

export function osAccountName(): string {
  if (cached !== undefined) return cached;
  const uid = process.getuid?.();
  if (uid === undefined) return (cached = userInfo().username);
  try {
    const result = Bun.spawnSync(["id", "-un"], { stdout: "pipe", stderr: "ignore", timeout: ID_TIMEOUT_MS });
    const name = result.stdout.toString().trim();
    if (result.exitCode === 0 && name !== "") return (cached = name);
  } catch {
    // `id` missing: the uid still names exactly one account.
  }
  return (cached = `uid:${uid}`);
}
