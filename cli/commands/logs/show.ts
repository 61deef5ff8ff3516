// `mcp-acp logs show --proxy NAME --type T [-n 50] [--since all] [--before CURSOR|TIME]
// [filters] [--json]`: the newest entries of one log, newest first, as the raw lines written (or
// one JSON page). When older entries remain, a cursor for --before is printed on stderr.
import { defineCommand } from "citty";
import { DEFAULT_LOG_LIMIT, MAX_LIMIT, isLogCursor, parseTimeRange, queryLog, type LogPage, type LogQueryOptions, type TimeRange } from "../../../lib/audit/query/index.ts";
import { appPaths } from "../../app-paths.ts";
import { parseIntegerOption } from "../../option-values.ts";
import { printErrorLine, printJson, stderrStyle } from "../../ui/index.ts";
import { FILTER_ARGS, LOG_TARGET_ARGS, cliErrorOf, filterInput, resolveLog } from "./options.ts";

export function pageJson(page: LogPage): Record<string, unknown> {
  return {
    entries: page.entries.map((e) => e.record),
    total_returned: page.totalReturned,
    total_scanned: page.totalScanned,
    log_file: page.logFile,
    exists: page.exists,
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
    filters_applied: page.filtersApplied,
  };
}

function timeRangeOf(value: string | undefined): TimeRange {
  try {
    return parseTimeRange(value ?? "all", "since");
  } catch (error) {
    throw cliErrorOf(error);
  }
}

export const showCommand = defineCommand({
  meta: { name: "show", description: "Show a proxy's newest log entries, newest first, with filters" },
  args: {
    ...LOG_TARGET_ARGS,
    lines: { type: "string", alias: "n", description: `How many entries (1–${MAX_LIMIT}, default ${DEFAULT_LOG_LIMIT})`, valueHint: "count" },
    since: { type: "string", description: "Time range: 5m, 1h, 24h or all (default all)", valueHint: "range" },
    before: { type: "string", description: "Continue with older entries: a cursor printed by a previous page, or a timestamp", valueHint: "cursor" },
    ...FILTER_ARGS,
    json: { type: "boolean", description: "Print one JSON document: entries, has_more, next_cursor, …" },
  },
  async run({ args }) {
    const paths = appPaths();
    const { target, type } = resolveLog(paths, args.proxy, args.type);
    const limit = parseIntegerOption(args.lines, "--lines", { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LOG_LIMIT;
    const options: LogQueryOptions = { type, limit, timeRange: timeRangeOf(args.since), filters: filterInput(args) };
    const before = args.before?.trim();
    if (before !== undefined && before !== "") {
      if (isLogCursor(before)) options.cursor = before;
      else options.before = before;
    }
    let page: LogPage;
    try {
      page = await queryLog(target.logDir, options);
    } catch (error) {
      throw cliErrorOf(error);
    }
    if (args.json === true) {
      printJson(pageJson(page));
      return;
    }
    const style = stderrStyle();
    if (!page.exists) {
      printErrorLine(`No ${type.replace(/_/g, "-")} log yet for proxy '${target.name}': ${page.logFile} does not exist (the proxy creates it when it first runs).`);
      return;
    }
    for (const entry of page.entries) process.stdout.write(`${entry.raw}\n`);
    if (page.entries.length === 0) {
      const applied = Object.entries(page.filtersApplied).map(([k, v]) => `${k}=${v}`);
      printErrorLine(style.dim(`No matching entries in ${page.logFile}${applied.length > 0 ? ` (${applied.join(", ")})` : ""}.`));
    }
    if (page.hasMore && page.nextCursor !== null) {
      printErrorLine(style.dim(`Older entries exist; to see them add: --before ${page.nextCursor}`));
    }
  },
});
