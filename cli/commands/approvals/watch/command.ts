// `mcp-acp approvals watch [--proxy NAME] [--json]`: stay connected to the proxies' approval
// feeds. In a terminal it is an approver console (keys a, A, d); otherwise it prints JSON lines.
// Either way the open feed makes the proxy count a human approver as reachable, so HITL
// requests wait for a decision instead of being denied at once.
import { defineCommand } from "citty";
import { listProxyNames } from "../../../../lib/config/index.ts";
import type { AppPaths } from "../../../../lib/paths/index.ts";
import { appPaths } from "../../../app-paths.ts";
import { EXIT_OK, failure } from "../../../errors.ts";
import { requireProxy } from "../../../proxy-lookup.ts";
import { cliApprover } from "../approver.ts";
import { ApprovalBoard } from "./board.ts";
import { runFeed } from "./feed.ts";
import { runInteractiveWatch } from "./interactive.ts";
import { printChangeLine } from "./json-lines.ts";

const CLIENT = "mcp-acp approvals watch";

function watchedProxies(paths: AppPaths, proxy: string | undefined): string[] {
  if (proxy !== undefined) return [requireProxy(paths, proxy)];
  const names = listProxyNames(paths);
  if (names.length === 0) throw failure("No proxies are configured, so there is nothing to watch.", "Create one with 'mcp-acp proxy add'.");
  return names;
}

async function runJsonLines(paths: AppPaths, names: readonly string[], stop: AbortController): Promise<void> {
  const board = new ApprovalBoard(names);
  const watcher = cliApprover(CLIENT);
  await Promise.all(
    names.map((proxy) =>
      runFeed({
        paths,
        proxy,
        watcher,
        signal: stop.signal,
        onEvent: (event) => {
          for (const change of board.apply(event)) printChangeLine(change);
        },
      }),
    ),
  );
}

export const watchCommand = defineCommand({
  meta: {
    name: "watch",
    description:
      "Watch pending approvals live and decide them (in a terminal: a allow once, A allow and cache, d deny, q quit; " +
      "otherwise one JSON line per pending approval and per ending). Waits for proxies that are not running and " +
      "reconnects when one restarts, retrying every second. Ctrl-C stops it (exit 0)",
  },
  args: {
    proxy: { type: "string", alias: "p", description: "Only this proxy (default: every configured proxy)", valueHint: "name" },
    json: { type: "boolean", description: "Print JSON lines even in a terminal (no keys are read)" },
  },
  async run({ args }) {
    const paths = appPaths();
    const names = watchedProxies(paths, args.proxy);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true && args.json !== true;
      if (terminal) {
        await runInteractiveWatch({ paths, names, watcher: cliApprover(CLIENT), decider: cliApprover(CLIENT), stop });
      } else {
        await runJsonLines(paths, names, stop);
      }
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    return EXIT_OK;
  },
});
