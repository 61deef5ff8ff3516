import { expect, test } from "bun:test";
import { KeyedMutex } from "./keyed-mutex.ts";

test("tasks of one key run one at a time, in order; other keys are not held up; a failure releases the key", async () => {
  const mutex = new KeyedMutex();
  const log: string[] = [];
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const first = mutex.run("a", async () => {
    log.push("a1 start");
    await gate;
    log.push("a1 end");
  });
  const second = mutex.run("a", () => {
    log.push("a2");
  });
  const failing = mutex.run("a", () => {
    throw new Error("boom");
  });
  const after = mutex.run("a", () => "done");
  await mutex.run("b", () => {
    log.push("b");
  });
  expect(log).toEqual(["a1 start", "b"]);
  release();
  await Promise.all([first, second]);
  expect(failing).rejects.toThrow("boom");
  expect(await after).toBe("done");
  expect(log).toEqual(["a1 start", "b", "a1 end", "a2"]);
});
