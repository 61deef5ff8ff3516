#!/usr/bin/env bun
// The `mcp-acp` executable. All logic lives in run-cli.ts; this only sets the exit code.
import { runCli } from "./run-cli.ts";
import { isBrokenPipe } from "./ui/output.ts";

// A reader that goes away (`mcp-acp proxy list | head`) ends the command quietly.
process.stdout.on("error", (error) => {
  if (isBrokenPipe(error)) process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
