import { expect, test } from "bun:test";
import { colorEnabled, createStyle, stripAnsi } from "./style.ts";

test("colour only on a terminal, without NO_COLOR, and not on a dumb terminal", () => {
  expect(colorEnabled({ isTTY: true }, {})).toBe(true);
  expect(colorEnabled({ isTTY: false }, {})).toBe(false);
  expect(colorEnabled({}, {})).toBe(false);
  expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  expect(colorEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
  expect(colorEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
});

test("styles wrap only when enabled; stripAnsi undoes them", () => {
  expect(createStyle(false).green("ok")).toBe("ok");
  const coloured = createStyle(true).green("ok");
  expect(coloured).not.toBe("ok");
  expect(stripAnsi(coloured)).toBe("ok");
});
