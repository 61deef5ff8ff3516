// The two output channels. stdout carries a command's result (human text or exactly one JSON
// document); stderr carries errors, warnings, prompts and progress, so `cmd --json | jq` works.
import { colorEnabled, createStyle, type Style } from "./style.ts";

export function stdoutStyle(): Style {
  return createStyle(colorEnabled(process.stdout));
}

export function stderrStyle(): Style {
  return createStyle(colorEnabled(process.stderr));
}

/** True for the error a write gets once the reader of a pipe has gone (`mcp-acp … | head`). */
export function isBrokenPipe(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "EPIPE";
}

// Nobody reads the rest of the output, so stop quietly like other command-line tools do rather
// than print a stack trace about it.
function writeStdout(text: string): void {
  try {
    process.stdout.write(text);
  } catch (error) {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  }
}

export function printLine(text = ""): void {
  writeStdout(`${text}\n`);
}

export function printErrorLine(text = ""): void {
  process.stderr.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  writeStdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** `✓ message` on stdout. */
export function printSuccess(message: string): void {
  printLine(`${stdoutStyle().green("✓")} ${message}`);
}

/** `Warning: message` on stderr. */
export function printWarning(message: string): void {
  printErrorLine(`${stderrStyle().yellow("Warning:")} ${message}`);
}

export function okMark(style: Style): string {
  return style.green("✓");
}

export function failMark(style: Style): string {
  return style.red("✗");
}
