import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLineAt, scanLinesBackward, type BackwardLine } from "./backward-reader.ts";
import { countLogLines } from "./file-stats.ts";

const dir = mkdtempSync(join(tmpdir(), "mcp-acp-backward-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function file(content: string | Buffer): string {
  const path = join(dir, `f${++n}.jsonl`);
  writeFileSync(path, content);
  return path;
}

async function lines(path: string, chunk: number, end?: number): Promise<Array<[number, string, boolean]>> {
  const handle = await open(path, "r");
  try {
    const out: Array<[number, string, boolean]> = [];
    const size = end ?? (await handle.stat()).size;
    await scanLinesBackward(handle, size, (l: BackwardLine) => {
      out.push([l.offset, l.bytes.toString("utf8"), l.complete]);
      return true;
    }, chunk);
    return out;
  } finally {
    await handle.close();
  }
}

describe("scanLinesBackward", () => {
  const text = "first\nsecond line\n\nfourth é\n";
  for (const chunk of [1, 2, 3, 7, 64, 4096]) {
    test(`newest first with offsets, chunk ${chunk}`, async () => {
      expect(await lines(file(text), chunk)).toEqual([
        [19, "fourth é", true],
        [18, "", true],
        [6, "second line", true],
        [0, "first", true],
      ]);
    });
  }

  test("a final fragment without newline is marked incomplete", async () => {
    expect(await lines(file('a\n{"torn'), 3)).toEqual([
      [2, '{"torn', false],
      [0, "a", true],
    ]);
  });

  test("from an end offset inside the file (a cursor)", async () => {
    expect(await lines(file("a\nbb\nccc\n"), 2, 5)).toEqual([
      [2, "bb", true],
      [0, "a", true],
    ]);
  });

  test("empty file and a file of one line longer than the chunk", async () => {
    expect(await lines(file(""), 4)).toEqual([]);
    const long = "x".repeat(10_000);
    expect(await lines(file(`${long}\nend\n`), 100)).toEqual([
      [10_001, "end", true],
      [0, long, true],
    ]);
  });

  test("the visitor stops the scan", async () => {
    const handle = await open(file("1\n2\n3\n"), "r");
    const seen: string[] = [];
    await scanLinesBackward(handle, 6, (l) => {
      seen.push(l.bytes.toString());
      return seen.length < 2;
    });
    await handle.close();
    expect(seen).toEqual(["3", "2"]);
  });
});

describe("readLineAt", () => {
  test("reads the line at an offset, across chunks; null at end of file", async () => {
    const handle = await open(file(`a\n${"b".repeat(300)}\nc`), "r");
    expect((await readLineAt(handle, 2, 16))?.toString()).toBe("b".repeat(300));
    expect((await readLineAt(handle, 303, 16))?.toString()).toBe("c");
    expect(await readLineAt(handle, 304, 16)).toBeNull();
    await handle.close();
  });
});

describe("countLogLines", () => {
  test("counts lines with content, a final fragment included, across 1 MiB chunks", async () => {
    expect(await countLogLines(file(""))).toBe(0);
    expect(await countLogLines(file("a\n\nb\nc"))).toBe(3);
    const line = `${"y".repeat(1023)}\n`;
    expect(await countLogLines(file(line.repeat(3000)))).toBe(3000);
  });
});
