// Test helper run by atomic-write.test.ts under a file-size limit (ulimit -f), so the write fails
// half-way for real. Prints the outcome as one JSON line.
import { ConfigError } from "../errors.ts";
import { writeFileAtomic } from "../atomic-write.ts";

const [target, size] = process.argv.slice(2);
if (target === undefined || size === undefined) throw new Error("usage: atomic-write-child.ts <target> <bytes>");
try {
  writeFileAtomic(target, "x".repeat(Number(size)));
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.log(JSON.stringify({ ok: false, code: error.code, message: error.message, path: error.path }));
}
