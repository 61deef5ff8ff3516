export { CLI_ENTRY, REPO_ROOT, TempHome, initializedHome, modeOf, type CliResult, type CliRunOptions } from "./cli-process.ts";
export { runInPty, SCRIPT_BINARY, type PtyResult } from "./pty.ts";
