import { PassThrough } from "node:stream";
import { expect, test } from "bun:test";
import { CliError, CliErrorCode } from "../errors.ts";
import { Prompter } from "./prompt.ts";

function scripted(answers: string): { prompter: Prompter; written: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString()));
  input.end(answers);
  return { prompter: new Prompter(input, output), written: () => text };
}

test("ask re-asks until the validator accepts, and applies the default", async () => {
  const { prompter, written } = scripted("bad\ngood\n\n");
  const validate = (a: string): string | undefined => (a === "bad" ? "Not that one." : undefined);
  expect(await prompter.ask("Name", { validate })).toBe("good");
  expect(await prompter.ask("Server", { default: "fallback" })).toBe("fallback");
  prompter.close();
  expect(written()).toContain("Name: ");
  expect(written()).toContain("✗ Not that one.");
  expect(written()).toContain("Server [fallback]: ");
});

test("answers typed ahead of the questions are not lost", async () => {
  const { prompter } = scripted("one\ntwo\nthree\n");
  expect([await prompter.ask("a"), await prompter.ask("b"), await prompter.ask("c")]).toEqual(["one", "two", "three"]);
  prompter.close();
});

test("confirm: default, y/n, and re-ask on anything else", async () => {
  const { prompter } = scripted("\nmaybe\nN\nyes\n");
  expect(await prompter.confirm("Go?", true)).toBe(true);
  expect(await prompter.confirm("Go?", true)).toBe(false);
  expect(await prompter.confirm("Go?", false)).toBe(true);
  prompter.close();
});

test("choose accepts the number or the name", async () => {
  const { prompter } = scripted("2\nhttp\n\n");
  const choices = ["stdio", "http", "auto"] as const;
  expect(await prompter.choose("Transport:", choices)).toBe("auto");
  expect(await prompter.choose("Transport:", choices)).toBe("http");
  expect(await prompter.choose("Transport:", choices, 0)).toBe("stdio");
  prompter.close();
});

test("closed input aborts", async () => {
  const { prompter } = scripted("");
  const error = await prompter.ask("Name").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).code).toBe(CliErrorCode.Aborted);
  prompter.close();
});
