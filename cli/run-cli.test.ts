import { expect, test } from "bun:test";
import { extractDebugFlag } from "./run-cli.ts";

test("--debug is taken from anywhere before --, or from MCP_ACP_DEBUG=1", () => {
  expect(extractDebugFlag(["proxy", "--debug", "list"], {})).toEqual({ debug: true, tokens: ["proxy", "list"] });
  expect(extractDebugFlag(["x", "--", "--debug"], {})).toEqual({ debug: false, tokens: ["x", "--", "--debug"] });
  expect(extractDebugFlag(["x"], { MCP_ACP_DEBUG: "1" }).debug).toBe(true);
  expect(extractDebugFlag(["x"], { MCP_ACP_DEBUG: "0" }).debug).toBe(false);
});
