#!/usr/bin/env bun
// `bun run demo`: the README's first command. Same code as `mcp-acp demo`, run through the CLI so
// errors and exit codes look exactly like the command's.
import { runCli } from "../cli/run-cli.ts";

const code = await runCli(["demo", ...process.argv.slice(2)]);
process.exitCode = code;
// The proxy and the backend are closed by now; a stray handle must not keep the script alive.
setTimeout(() => process.exit(code), 2000).unref();
