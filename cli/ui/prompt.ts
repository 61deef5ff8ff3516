// Line prompts for terminal use. Questions go to stderr so stdout stays the command's result;
// answers are read line by line from stdin through one buffered iterator, so answers typed (or
// piped into a pseudo-terminal) ahead of the question are not lost between questions.
import { createInterface, type Interface } from "node:readline";
import { CliError, CliErrorCode } from "../errors.ts";
import { failMark, stderrStyle } from "./output.ts";

/** Returns an error message for a bad answer, or undefined when the answer is acceptable. */
export type AnswerValidator = (answer: string) => string | undefined;

export interface AskOptions {
  /** Used when the answer is empty; shown in brackets after the question. */
  default?: string;
  validate?: AnswerValidator;
}

/** True when a human can answer prompts: stdin is a terminal. */
export function isInteractive(): boolean {
  return process.stdin.isTTY === true;
}

export class Prompter {
  private readline: Interface | undefined;
  private lines: AsyncIterator<string> | undefined;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stderr,
  ) {}

  async ask(question: string, options: AskOptions = {}): Promise<string> {
    const suffix = options.default !== undefined && options.default !== "" ? ` [${options.default}]` : "";
    for (;;) {
      this.output.write(`${question}${suffix}: `);
      const raw = (await this.readLine()).trim();
      const answer = raw === "" && options.default !== undefined ? options.default : raw;
      const problem = options.validate?.(answer);
      if (problem === undefined) return answer;
      this.output.write(`  ${failMark(stderrStyle())} ${problem}\n`);
    }
  }

  async confirm(question: string, defaultYes: boolean): Promise<boolean> {
    const answer = await this.ask(`${question} ${defaultYes ? "[Y/n]" : "[y/N]"}`, {
      validate: (a) => (a === "" || /^(y|yes|n|no)$/i.test(a) ? undefined : "Please answer y or n."),
    });
    if (answer === "") return defaultYes;
    return /^y/i.test(answer);
  }

  /** Numbered menu; accepts the number or the choice itself. */
  async choose<T extends string>(question: string, choices: readonly T[], defaultIndex = 0): Promise<T> {
    this.output.write(`${question}\n`);
    choices.forEach((choice, index) => this.output.write(`  [${index}] ${choice}\n`));
    const picked = await this.ask("Choice", {
      default: String(defaultIndex),
      validate: (a) => (pick(choices, a) === undefined ? `Enter a number from 0 to ${choices.length - 1}.` : undefined),
    });
    const choice = pick(choices, picked);
    if (choice === undefined) throw new CliError(CliErrorCode.Aborted, "Aborted: no valid choice.");
    return choice;
  }

  close(): void {
    this.readline?.close();
    this.readline = undefined;
    this.lines = undefined;
  }

  private async readLine(): Promise<string> {
    if (this.lines === undefined) {
      this.readline = createInterface({ input: this.input, terminal: false });
      this.lines = this.readline[Symbol.asyncIterator]();
    }
    const next = await this.lines.next();
    if (next.done === true) {
      this.output.write("\n");
      throw new CliError(CliErrorCode.Aborted, "Aborted: input closed before an answer was given.");
    }
    return next.value;
  }
}

function pick<T extends string>(choices: readonly T[], answer: string): T | undefined {
  if (/^\d+$/.test(answer)) return choices[Number(answer)];
  return choices.find((c) => c === answer.toLowerCase());
}

let shared: Prompter | undefined;

/** The process-wide prompter (one stdin reader for all questions). */
export function prompter(): Prompter {
  shared ??= new Prompter();
  return shared;
}

export function closePrompter(): void {
  shared?.close();
  shared = undefined;
}
