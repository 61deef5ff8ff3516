import { expect, test } from "bun:test";
import { minimalEnv } from "./env.ts";

test("minimalEnv keeps only the allow-listed variables and skips exported functions", () => {
  const env = minimalEnv({
    HOME: "/home/u",
    PATH: "/usr/bin",
    USER: "u",
    SHELL: "() { :; }; echo pwned",
    AWS_SECRET_ACCESS_KEY: "secret",
    MCP_ACP_HOME: "/x",
    TERM: undefined,
  });
  expect(env).toEqual({ HOME: "/home/u", PATH: "/usr/bin", USER: "u" });
});
