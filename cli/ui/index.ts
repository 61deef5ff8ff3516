export { colorEnabled, createStyle, stripAnsi, type Style, type StyleTarget } from "./style.ts";
export {
  failMark,
  okMark,
  printErrorLine,
  printJson,
  printLine,
  printSuccess,
  printWarning,
  stderrStyle,
  stdoutStyle,
} from "./output.ts";
export { closePrompter, isInteractive, Prompter, prompter, type AnswerValidator, type AskOptions } from "./prompt.ts";
