#!/usr/bin/env bun
// The `mcp-acp` executable. All logic lives in run-cli.ts; this only sets the exit code.
import { runCli } from "./run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2));
