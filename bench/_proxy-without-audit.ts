#!/usr/bin/env bun
// The proxy exactly as `mcp-acp start --proxy NAME` runs it, minus the audit trail: the baseline
// against which bench/proxy-enforced.ts measures what auditing costs. Benchmarks only; nothing a
// user runs can start a proxy this way.
import { resolveAppPaths } from "../lib/paths/index.ts";
import { runProxy } from "../services/proxy/runtime/run-proxy.ts";

const name = process.argv[2];
if (name === undefined) {
  process.stderr.write("usage: _proxy-without-audit.ts <proxy name>\n");
  process.exit(2);
}
const code = await runProxy({ name, paths: resolveAppPaths(), headless: true, benchmarkWithoutAudit: true });
process.exit(code);
