// Strict command-line parser for a leaf command's citty ArgsDef. citty's own parser accepts
// unknown options silently and takes no position on usage errors; this one rejects unknown
// options, missing values, repeated options, bad enum values and stray arguments as usage
// errors (exit 2), and lets option values start with "-" (e.g. --args "-y,pkg").
import type { ArgDef, ArgsDef } from "citty";
import { usageError } from "./errors.ts";

export interface ParsedCommandLine {
  /** --help / -h was given: show help and ignore everything else. */
  help: boolean;
  /** Option and positional values keyed by the ArgsDef name. */
  values: Record<string, string | boolean>;
}

interface OptionSpec {
  name: string;
  def: ArgDef;
}

const HELP_TOKENS = new Set(["--help", "-h"]);

export function optionLabel(name: string, def: ArgDef): string {
  const aliases = aliasList(def).filter((a) => a.length === 1).map((a) => `-${a}`);
  return [...aliases, `--${name}`].join("/");
}

function aliasList(def: ArgDef): string[] {
  if (def.type === "positional" || !("alias" in def) || def.alias === undefined) return [];
  return Array.isArray(def.alias) ? def.alias : [def.alias];
}

function takesValue(def: ArgDef): boolean {
  return def.type === "string" || def.type === "enum";
}

function optionTable(argsDef: ArgsDef): Map<string, OptionSpec> {
  const table = new Map<string, OptionSpec>();
  for (const [name, def] of Object.entries(argsDef)) {
    if (def.type === "positional") continue;
    table.set(`--${name}`, { name, def });
    for (const alias of aliasList(def)) table.set(alias.length === 1 ? `-${alias}` : `--${alias}`, { name, def });
  }
  return table;
}

/** Strict parse; a help flag anywhere before "--" wins over any usage error. */
export function parseCommandLine(tokens: readonly string[], argsDef: ArgsDef): ParsedCommandLine {
  try {
    return parseStrict(tokens, argsDef);
  } catch (error) {
    const end = tokens.indexOf("--");
    const head = end === -1 ? tokens : tokens.slice(0, end);
    if (head.some((t) => HELP_TOKENS.has(t))) return { help: true, values: {} };
    throw error;
  }
}

function parseStrict(tokens: readonly string[], argsDef: ArgsDef): ParsedCommandLine {
  const options = optionTable(argsDef);
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let help = false;

  const isOptionToken = (token: string): boolean =>
    options.has(token.split("=", 1)[0] ?? token) || HELP_TOKENS.has(token);

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (token === "--") {
      // POSIX: everything after "--" is an argument, even when it starts with "-".
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (!token.startsWith("-") || token === "-") {
      positionals.push(token);
      continue;
    }
    if (HELP_TOKENS.has(token) && !options.has(token)) {
      help = true;
      continue;
    }
    const eq = token.indexOf("=");
    const key = eq === -1 ? token : token.slice(0, eq);
    const negated = key.startsWith("--no-") ? options.get(`--${key.slice(5)}`) : undefined;
    if (negated !== undefined && !takesValue(negated.def) && !options.has(key)) {
      // --no-<flag> turns a boolean off explicitly (its default may be on).
      if (eq !== -1) throw usageError(`Option ${key} does not take a value.`);
      if (values[negated.name] !== undefined) throw usageError(`Option --${negated.name} was given more than once.`);
      values[negated.name] = false;
      continue;
    }
    const spec = options.get(key);
    if (spec === undefined) throw usageError(`Unknown option '${key}'.`);
    const label = `--${spec.name}`;
    if (values[spec.name] !== undefined) throw usageError(`Option ${label} was given more than once.`);
    if (!takesValue(spec.def)) {
      if (eq !== -1) throw usageError(`Option ${label} does not take a value.`);
      values[spec.name] = true;
      continue;
    }
    if (eq !== -1) {
      values[spec.name] = token.slice(eq + 1);
      continue;
    }
    const next = tokens[i + 1];
    if (next === undefined || next === "--" || isOptionToken(next)) {
      throw usageError(`Option ${label} needs a value.`);
    }
    values[spec.name] = next;
    i++;
  }

  if (help) return { help, values };

  const positionalDefs = Object.entries(argsDef).filter(([, def]) => def.type === "positional");
  for (const [name, def] of positionalDefs) {
    const value = positionals.shift();
    if (value !== undefined) values[name] = value;
    else if (def.default !== undefined) values[name] = String(def.default);
    else if (def.required !== false) throw usageError(`Missing argument <${name.toUpperCase()}>.`);
  }
  const extra = positionals[0];
  if (extra !== undefined) throw usageError(`Unexpected argument '${extra}'.`);

  for (const [name, def] of Object.entries(argsDef)) {
    if (def.type === "positional") continue;
    const value = values[name];
    if (value === undefined) {
      if (def.default !== undefined) values[name] = def.default;
      else if (def.required === true) throw usageError(`Missing required option --${name}.`);
      continue;
    }
    if (def.type === "enum" && def.options !== undefined && !def.options.includes(String(value))) {
      throw usageError(`Invalid value '${String(value)}' for --${name}: expected one of ${def.options.join(", ")}.`);
    }
  }
  return { help, values };
}
