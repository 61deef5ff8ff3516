// User-written regexes (path_regex, argument `regex`) must match the whole value: a rule
// `^ls` that also matched "ls; rm -rf /" would be a trap for allow rules. `u` makes syntax
// errors visible at load time; `s` lets `.` match newlines.

/** Compiles a user regex as the engine runs it, or returns the syntax error text. */
export function userRegExp(source: string, ignoreCase = false): RegExp | string {
  try {
    return new RegExp(`^(?:${source})$`, ignoreCase ? "sui" : "su");
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
