import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { ClientConfigSnippetSchema } from "../../../../lib/gen/mcpacp/api/v1/proxy_service_pb.ts";
import { filterCounts, matchesFilter } from "./filter.ts";
import { snippetText } from "./snippet.ts";

test("chip counts and matching", () => {
  expect(filterCounts([true, false, false])).toEqual({ all: 3, running: 1, inactive: 2 });
  expect(matchesFilter(true, "all")).toBe(true);
  expect(matchesFilter(true, "inactive")).toBe(false);
  expect(matchesFilter(false, "inactive")).toBe(true);
});

test("snippet JSON is the mcpServers block, names sorted", () => {
  const s = create(ClientConfigSnippetSchema, {
    executablePath: "/usr/bin/mcp-acp",
    mcpServers: { web: { command: "/usr/bin/mcp-acp", args: ["start", "--proxy", "web"] }, fs: { command: "/usr/bin/mcp-acp", args: ["start", "--proxy", "fs"] } },
  });
  const parsed = JSON.parse(snippetText(s)) as { mcpServers: Record<string, unknown> };
  expect(Object.keys(parsed.mcpServers)).toEqual(["fs", "web"]);
  expect(parsed.mcpServers.fs).toEqual({ command: "/usr/bin/mcp-acp", args: ["start", "--proxy", "fs"] });
  expect(snippetText(undefined)).toBe('{\n  "mcpServers": {}\n}');
});
