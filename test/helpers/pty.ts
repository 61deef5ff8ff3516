// Runs a command under a pseudo-terminal with util-linux `script`, so the program sees
// stdin.isTTY === true and its prompts can be answered by the text fed to `script`'s stdin.
// Everything the program writes (stdout and stderr, plus the terminal's echo of the answers)
// comes back in one stream, with "\r\n" line ends normalised to "\n".

export const SCRIPT_BINARY: string | null = Bun.which("script");

export interface PtyResult {
  exitCode: number;
  output: string;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export async function runInPty(argv: readonly string[], answers: string, env: Record<string, string>): Promise<PtyResult> {
  if (SCRIPT_BINARY === null) throw new Error("util-linux `script` is not installed; cannot create a pseudo-terminal.");
  const command = argv.map(shellQuote).join(" ");
  // -q quiet, -e return the child's exit code, -c run this command; /dev/null = no typescript file.
  const child = Bun.spawn([SCRIPT_BINARY, "-qec", command, "/dev/null"], {
    env,
    stdin: new TextEncoder().encode(answers),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, output: `${stdout}${stderr}`.replace(/\r\n/g, "\n") };
}
