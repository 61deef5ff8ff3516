/** Serialisation of every config file: 2-space indentation and a trailing newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
