import { join } from "node:path";

export interface ChildServer {
  readonly pid: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts testdata/watch-server.ts in its own process and waits until it listens. */
export async function startChildServer(socketPath: string): Promise<ChildServer> {
  const child = Bun.spawn(["bun", join(import.meta.dir, "watch-server.ts"), socketPath], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let output = "";
  while (!output.includes("ready\n")) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`watch-server exited before it was ready (exit ${await child.exited}): ${output}`);
    output += new TextDecoder().decode(chunk.value);
  }
  reader.releaseLock();
  return {
    pid: child.pid,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await child.exited;
    },
  };
}
