// `mcp-acp logs tail --proxy NAME --type T [-n N] [filters]`: prints new records of a log as they
// are appended, as the raw lines written, until Ctrl-C (exit 0). With -n, the last N matching
// entries come first. Follows the file across truncation and replacement.
import { defineCommand } from "citty";
import { LogQueryError, MAX_LIMIT, encodeLogCursor, logTypeInfo, matchesLogFilters, normalizeLogFilters, queryLogFile } from "../../../lib/audit/query/index.ts";
import { appPaths } from "../../app-paths.ts";
import { EXIT_OK, failure } from "../../errors.ts";
import { parseIntegerOption } from "../../option-values.ts";
import { printErrorLine, stderrStyle } from "../../ui/index.ts";
import { logFilePath } from "../../../lib/audit/index.ts";
import { followLog } from "./follow.ts";
import { FILTER_ARGS, LOG_TARGET_ARGS, cliErrorOf, filterInput, resolveLog } from "./options.ts";

function recordOf(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const tailCommand = defineCommand({
  meta: { name: "tail", description: "Follow a proxy's log and print new entries as they are written (Ctrl-C to stop)" },
  args: {
    ...LOG_TARGET_ARGS,
    lines: { type: "string", alias: "n", description: `Print the last N entries first (0–${MAX_LIMIT}, default 0)`, valueHint: "count" },
    ...FILTER_ARGS,
  },
  async run({ args }) {
    const paths = appPaths();
    const { target, type } = resolveLog(paths, args.proxy, args.type);
    const initial = parseIntegerOption(args.lines, "--lines", { min: 0, max: MAX_LIMIT }) ?? 0;
    const input = filterInput(args);
    let filters;
    try {
      filters = normalizeLogFilters(input, type);
    } catch (error) {
      throw cliErrorOf(error);
    }
    const filtered = Object.keys(filters).length > 0;
    const path = logFilePath(target.logDir, logTypeInfo(type).fileKey);
    const style = stderrStyle();
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      await followLog(path, stop.signal, {
        line(text) {
          if (filtered) {
            const record = recordOf(text);
            if (record === null || !matchesLogFilters(record, filters)) return;
          }
          process.stdout.write(`${text}\n`);
        },
        notice(text) {
          printErrorLine(style.dim(text));
        },
        async ready(start, handle) {
          if (initial > 0) {
            const inode = (await handle.stat({ bigint: true })).ino.toString();
            const cursor = encodeLogCursor({ fileKey: logTypeInfo(type).fileKey, inode, offset: start });
            const page = await queryLogFile(path, { type, timeRange: "all", limit: initial, filters: input, cursor });
            for (const entry of page.entries.toReversed()) process.stdout.write(`${entry.raw}\n`);
          }
          printErrorLine(style.dim(`Following ${path} (Ctrl-C to stop)…`));
        },
      });
    } catch (error) {
      if (error instanceof Error && !(error instanceof LogQueryError)) throw failure(`Cannot follow ${path}: ${error.message}`);
      throw cliErrorOf(error);
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    return EXIT_OK;
  },
});
