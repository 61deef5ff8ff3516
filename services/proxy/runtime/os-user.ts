// The name of the OS user running this process. Bun's os.userInfo().username is taken from $USER
// (and is "unknown" without it), so an environment variable could pick the policy subject; the
// uid's account name from `id -un` (passwd, NSS/LDAP included) is used instead.
import { userInfo } from "node:os";

const ID_TIMEOUT_MS = 2000;

export function osUsername(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return userInfo().username; // Windows: no uid to look up
  try {
    const result = Bun.spawnSync(["id", "-un"], { stdout: "pipe", stderr: "ignore", timeout: ID_TIMEOUT_MS });
    const name = result.stdout.toString().trim();
    if (result.exitCode === 0 && name !== "") return name;
  } catch {
    // `id` missing: fall through to the uid itself, which still names exactly one account.
  }
  return `uid:${uid}`;
}
