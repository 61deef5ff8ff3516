import { afterAll, expect, test } from "bun:test";
import { CLI_ENTRY, initializedHome, REPO_ROOT } from "../helpers/index.ts";

// `mcp-acp … | head` must end quietly: the reader going away is not an error worth a stack trace.
const home = await initializedHome();
afterAll(() => home.remove());

test("output piped into a reader that closes early: exit 0, no stack trace", async () => {
  for (let i = 0; i < 40; i++) {
    const added = await home.run(["proxy", "add", "--name", `p${i}`, "--server-name", "s", "--command", `cmd${i}`, "--yes"]);
    expect(added.exitCode).toBe(0);
  }
  // The shell reports the CLI's own exit status (pipefail) while `head` closes the pipe after a line.
  const script = `set -o pipefail; "${process.execPath}" "${CLI_ENTRY}" proxy list | head -n 1 >/dev/null`;
  const child = Bun.spawn(["bash", "-c", script], { cwd: REPO_ROOT, env: home.env(), stdout: "pipe", stderr: "pipe" });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  expect(stderr).not.toContain("EPIPE");
  expect(code).toBe(0);
}, 60_000);
