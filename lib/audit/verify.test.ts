import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "./canonical-json.ts";
import { GENESIS, sealRecord } from "./chain.ts";
import { sha256Hex } from "./hash.ts";
import { readLines, stateFor, useTempHome, writeChain, writeLines, type WrittenChain } from "./test-fixtures.ts";
import { verifyFile, verifyFileAsync } from "./verify.ts";
import { type ExpectedFileState, IntegrityProblemCode as P, IntegrityWarningCode as W, VerifyStatus, type VerifyFileResult } from "./verify-types.ts";

const home = useTempHome();
afterAll(() => home.cleanup());

let counter = 0;
let file: string;
let chain: WrittenChain;
let state: ExpectedFileState;

function expectedState(path: string, written: WrittenChain): ExpectedFileState {
  const row = stateFor("audit/operations.jsonl", path, written.head);
  return { sequence: row.sequence, lastHash: row.lastHash, inode: row.inode, device: row.device, size: row.size };
}

// A fresh 10-entry chain per test, with the state the writer would have recorded.
beforeEach(() => {
  file = join(home.logDir, `case-${++counter}`, "audit", "operations.jsonl");
  chain = writeChain(file, 10);
  state = expectedState(file, chain);
});

function problems(result: VerifyFileResult): Array<[number, P]> {
  return result.problems.map((p) => [p.line, p.code]);
}

/** Re-seals a parsed record in place (as a forger recomputing the hash would). */
function forge(record: Record<string, unknown>): string {
  const { entry_hash: _old, ...rest } = record;
  return JSON.stringify({ ...rest, entry_hash: sha256Hex(canonicalJson(rest)) });
}

describe("an untouched chain", () => {
  test("verifies, agrees with its state, and reports where it ends", () => {
    const result = verifyFile(file, { state, label: "audit/operations.jsonl" });
    expect(result.status).toBe(VerifyStatus.Intact);
    expect(result.problems).toEqual([]);
    expect([result.entries, result.lines, result.firstSequence, result.lastSequence, result.lastLine]).toEqual([10, 10, 1, 10, 10]);
    expect(result.lastHash).toBe(chain.head.lastHash);
    expect(result.verifiedSize).toBe(statSync(file).size);
    expect(result.lastEntryOffset).toBe(statSync(file).size - Buffer.byteLength(chain.lines[9] as string));
    expect(result.identity).toEqual({ inode: state.inode as string, device: state.device as string });
    expect(result.stateLag).toBe(0);
  });

  test("the async reader gives the same result", async () => {
    expect(await verifyFileAsync(file, { state })).toEqual(verifyFile(file, { state }));
  });

  test("a chain written across several appends verifies", () => {
    writeChain(file, 5, chain.head);
    const result = verifyFile(file);
    expect([result.status, result.entries, result.lastSequence]).toEqual([VerifyStatus.Intact, 15, 15]);
  });
});

describe("tamper matrix: each case is tampered, naming the line and why", () => {
  test("edit a field → entry hash mismatch on that line only", () => {
    const lines = readLines(file);
    lines[4] = (lines[4] as string).replace('"tool_name":"read_file"', '"tool_name":"write_file"');
    writeLines(file, lines);
    const result = verifyFile(file, { state });
    expect(result.status).toBe(VerifyStatus.Tampered);
    expect(problems(result)).toEqual([[5, P.EntryHashMismatch]]);
    expect(result.problems[0]?.reason).toContain("Entry hash mismatch on line 5 (sequence 5)");
    expect(result.problems[0]?.sequence).toBe(5);
  });

  test("edit a field and recompute its entry_hash → chain break on the next line instead", () => {
    const lines = readLines(file);
    const record = JSON.parse(lines[4] as string) as Record<string, unknown>;
    record.method = "resources/read";
    lines[4] = forge(record);
    writeLines(file, lines);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[6, P.PrevHashMismatch]]);
    expect(result.problems[0]?.reason).toContain("of line 5 (sequence 5)");
  });

  test("delete a line → chain break and sequence gap where it was", () => {
    const lines = readLines(file);
    lines.splice(4, 1);
    writeLines(file, lines);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([
      [5, P.PrevHashMismatch],
      [5, P.SequenceGap],
    ]);
    expect(result.problems[1]?.reason).toContain("expected sequence 5 after line 4, found 6");
  });

  test("insert a self-consistent forged line → that line is named as inserted", () => {
    const lines = readLines(file);
    const fourth = JSON.parse(lines[3] as string) as { entry_hash: string };
    const forged = sealRecord({ event: "forged" }, { sequence: 4, lastHash: fourth.entry_hash }, { time: "2026-01-01T00:00:00.004Z" });
    lines.splice(4, 0, forged.line.trimEnd());
    writeLines(file, lines);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[5, P.InsertedLine]]);
    expect(result.problems[0]?.reason).toContain("line 6 links past it to line 4");
  });

  test("insert a copy of an existing line → named as inserted", () => {
    const lines = readLines(file);
    lines.splice(7, 0, lines[2] as string);
    writeLines(file, lines);
    expect(problems(verifyFile(file, { state }))).toEqual([[8, P.InsertedLine]]);
  });

  test("insert an unchained line after the chain started → unchained line", () => {
    const lines = readLines(file);
    lines.splice(6, 0, '{"time":"2026-01-01T00:00:00.006Z","event":"looks harmless"}');
    writeLines(file, lines);
    expect(problems(verifyFile(file, { state }))).toEqual([[7, P.UnchainedLine]]);
  });

  test("swap two lines → both named, once", () => {
    const lines = readLines(file);
    [lines[4], lines[5]] = [lines[5] as string, lines[4] as string];
    writeLines(file, lines);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[5, P.SwappedLines]]);
    expect(result.problems[0]?.reason).toContain("Lines 5 and 6 are in the wrong order");
  });

  test("truncate the tail → the state is ahead, first missing line named", () => {
    writeLines(file, readLines(file).slice(0, 7));
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[8, P.StateAhead]]);
    expect(result.problems[0]?.reason).toContain("ends at sequence 7 on line 7");
    expect(result.problems[0]?.reason).toContain("3 entries are missing from line 8 on");
  });

  test("truncate the tail and rewrite the state to match → caught by a witnessed head", () => {
    writeLines(file, readLines(file).slice(0, 7));
    const rewritten = expectedState(file, { ...chain, head: { sequence: 7, lastHash: (JSON.parse(readLines(file)[6] as string) as { entry_hash: string }).entry_hash } });
    // The file and a rewritten state alone agree; nothing in them can show the cut (spec §15.7) …
    expect(verifyFile(file, { state: rewritten }).status).toBe(VerifyStatus.Intact);
    // … but a head witnessed outside the log dir (signed checkpoint) must still be there.
    const result = verifyFile(file, { state: rewritten, witnesses: [{ sequence: 10, entryHash: chain.head.lastHash }] });
    expect(problems(result)).toEqual([[8, P.WitnessMissing]]);
    expect(result.problems[0]?.reason).toContain("sequence 10");
  });

  test("a witnessed entry that was rewritten is named", () => {
    const lines = readLines(file);
    const record = JSON.parse(lines[2] as string) as Record<string, unknown>;
    const witnessed = record.entry_hash as string;
    // Rewrite lines 3..10 into a consistent chain with different content.
    const prefixHead = { sequence: 2, lastHash: (JSON.parse(lines[1] as string) as { entry_hash: string }).entry_hash };
    writeLines(file, lines.slice(0, 2));
    const rewritten = writeChain(file, 8, prefixHead, (i) => ({ event: `rewritten-${i}` }));
    const result = verifyFile(file, { state: expectedState(file, rewritten), witnesses: [{ sequence: 3, entryHash: witnessed }] });
    expect(problems(result)).toEqual([[3, P.WitnessMissing]]);
  });

  test("replace the file with an identical copy (new inode) → replaced", () => {
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    renameSync(copy, file);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[0, P.FileReplaced]]);
    expect(result.problems[0]?.reason).toContain("replaced or recreated");
  });

  test("delete the state (none recorded next to a non-empty log) → state missing, not a fresh start", () => {
    const result = verifyFile(file, { state: null });
    expect(problems(result)).toEqual([[0, P.StateMissing]]);
    expect(result.status).toBe(VerifyStatus.Tampered);
  });

  test("torn last line (incomplete JSON) → reported distinctly with its offset", () => {
    const size = statSync(file).size;
    appendFileSync(file, '{"time":"2026-01-01T00:00:00.010Z","sequence":11,"prev_h');
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[11, P.TornLine]]);
    expect(result.torn).toEqual({ line: 11, offset: size, bytes: statSync(file).size - size });
    expect(result.problems[0]?.reason).toContain("an incomplete JSON line");
    expect([result.entries, result.lastSequence, result.verifiedSize, result.lines]).toEqual([10, 10, size, 10]);
  });

  test("a complete record without its final newline is torn too", () => {
    writeFileSync(file, readFileSync(file).subarray(0, statSync(file).size - 1));
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[10, P.TornLine], [10, P.StateAhead]]);
    expect(result.problems[0]?.reason).toContain("a JSON line without its final newline");
  });

  test("state ahead of the file → state ahead", () => {
    const ahead = { ...state, sequence: 12, lastHash: "f".repeat(64), size: state.size === undefined ? undefined : state.size + 500 };
    const result = verifyFile(file, { state: ahead });
    expect(problems(result)).toEqual([[11, P.StateAhead]]);
    expect(result.problems[0]?.reason).toContain("the state recorded");
  });

  test("last entry rewritten with the same sequence → state mismatch on that line", () => {
    const lines = readLines(file);
    const record = JSON.parse(lines[9] as string) as Record<string, unknown>;
    record.method = "tools/list";
    lines[9] = forge(record);
    writeLines(file, lines);
    expect(problems(verifyFile(file, { state }))).toEqual([[10, P.StateMismatch]]);
  });

  test("all lines deleted → emptied; file deleted → missing", () => {
    writeFileSync(file, "");
    expect(problems(verifyFile(file, { state }))).toEqual([[0, P.FileEmptied]]);
    const gone = join(home.logDir, "never", "there.jsonl");
    const result = verifyFile(gone, { state });
    expect([result.status, ...problems(result)]).toEqual([VerifyStatus.Tampered, [0, P.FileMissing]]);
  });

  test("chained entries replaced by unchained ones → state mismatch", () => {
    writeLines(file, ['{"event":"legacy"}']);
    expect(problems(verifyFile(file, { state }))).toEqual([[0, P.StateMismatch]]);
  });

  test("first lines removed → the chain does not start at GENESIS", () => {
    writeLines(file, readLines(file).slice(3));
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[1, P.ChainStart]]);
    expect(result.problems[0]?.reason).toContain("instead of GENESIS");
  });

  test("a GENESIS entry whose sequence is not 1 → chain start", () => {
    const other = join(home.logDir, `genesis-${counter}.jsonl`);
    const record = { time: "2026-01-01T00:00:00.000Z", sequence: 5, prev_hash: GENESIS, event: "x" };
    writeLines(other, [JSON.stringify({ ...record, entry_hash: sha256Hex(canonicalJson(record)) })]);
    expect(problems(verifyFile(other))).toEqual([[1, P.ChainStart]]);
  });

  test("a line that is no longer JSON → named; the next link is not blamed", () => {
    const lines = readLines(file);
    lines[3] = (lines[3] as string).slice(0, 40);
    writeLines(file, lines);
    expect(problems(verifyFile(file, { state }))).toEqual([[4, P.InvalidJson]]);
  });

  test("a chain field removed or of the wrong type → missing chain field", () => {
    const lines = readLines(file);
    lines[2] = (lines[2] as string).replace(/,"entry_hash":"[0-9a-f]+"/, "");
    lines[5] = (lines[5] as string).replace('"sequence":6', '"sequence":"6"');
    writeLines(file, lines);
    expect(problems(verifyFile(file, { state }))).toEqual([
      [3, P.MissingChainField],
      [6, P.MissingChainField],
    ]);
  });

  test("a symbolic link in place of the log → replaced", () => {
    const link = join(home.logDir, `link-${counter}.jsonl`);
    symlinkSync(file, link);
    const result = verifyFile(link);
    expect([result.status, ...problems(result)]).toEqual([VerifyStatus.Tampered, [0, P.FileReplaced]]);
    expect(result.problems[0]?.reason).toContain("symbolic link");
  });
});

describe("state lagging the file", () => {
  test("verified entries after the state's head → intact with a warning and the lag", () => {
    const at8 = JSON.parse(readLines(file)[7] as string) as { entry_hash: string };
    const result = verifyFile(file, { state: { ...state, sequence: 8, lastHash: at8.entry_hash } });
    expect(result.status).toBe(VerifyStatus.Intact);
    expect(result.stateLag).toBe(2);
    expect(result.warnings.map((w) => w.code)).toContain(W.StateLagging);
  });

  test("more lag than allowed → state mismatch", () => {
    const at8 = JSON.parse(readLines(file)[7] as string) as { entry_hash: string };
    const result = verifyFile(file, { state: { ...state, sequence: 8, lastHash: at8.entry_hash }, maxStateLag: 1 });
    expect(problems(result)).toEqual([[9, P.StateMismatch]]);
  });

  test("a lagging state whose head is not in the chain → state mismatch on that line", () => {
    const result = verifyFile(file, { state: { ...state, sequence: 8, lastHash: "0".repeat(64) } });
    expect(problems(result)).toEqual([[8, P.StateMismatch]]);
  });
});

describe("files that are not (yet) chained", () => {
  test("missing without state → missing, not tampered", () => {
    const result = verifyFile(join(home.logDir, "absent.jsonl"), { state: null });
    expect([result.status, result.problems.length]).toEqual([VerifyStatus.Missing, 0]);
  });

  test("empty without state → empty", () => {
    const empty = join(home.logDir, `empty-${counter}.jsonl`);
    writeFileSync(empty, "");
    expect(verifyFile(empty, { state: null }).status).toBe(VerifyStatus.Empty);
  });

  test("only unchained lines without state → unprotected", () => {
    const plain = join(home.logDir, `plain-${counter}.jsonl`);
    writeLines(plain, ['{"event":"a"}', '{"event":"b"}']);
    const result = verifyFile(plain, { state: null });
    expect([result.status, result.entries, result.lines]).toEqual([VerifyStatus.Unprotected, 0, 2]);
  });

  test("unchained lines before the first chained one → warning only", () => {
    const mixed = join(home.logDir, `mixed-${counter}.jsonl`);
    writeLines(mixed, ['{"event":"before chaining"}']);
    writeChain(mixed, 3);
    const result = verifyFile(mixed);
    expect([result.status, result.entries]).toEqual([VerifyStatus.Intact, 3]);
    expect(result.warnings.map((w) => w.code)).toEqual([W.PreChainLines]);
  });

  test("a directory where the log should be → tampered", () => {
    const dir = join(home.logDir, `dir-${counter}.jsonl`);
    mkdirSync(dir);
    expect(verifyFile(dir).problems[0]?.reason).toContain("a directory");
  });
});

describe("warnings that are not problems", () => {
  test("blank lines and time going backwards", () => {
    const lines = readLines(file);
    lines.splice(3, 0, "  ");
    writeLines(file, lines);
    const other = join(home.logDir, `time-${counter}.jsonl`);
    const first = sealRecord({ e: 1 }, null, { time: "2026-01-02T00:00:00.000Z" });
    const second = sealRecord({ e: 2 }, first.head, { time: "2026-01-01T00:00:00.000Z" });
    writeFileSync(other, first.line + second.line);
    expect(verifyFile(file, { state }).warnings.map((w) => [w.line, w.code])).toEqual([[4, W.BlankLine]]);
    const result = verifyFile(other);
    expect([result.status, result.warnings.map((w) => w.code)]).toEqual([VerifyStatus.Intact, [W.TimeBackwards]]);
  });
});

describe("compatibility and scale", () => {
  test("a line written by the Python original verifies (spec §15.3)", () => {
    const python = join(home.logDir, `python-${counter}.jsonl`);
    // Python's json.dumps: ", " and ": " separators, ensure_ascii escapes, float 1.0.
    const line =
      '{"time": "2025-01-18T10:00:00.000Z", "sequence": 1, "prev_hash": "GENESIS", "event": "first_entry", "path": "caf\\u00e9\\u007f", "duration_ms": 1.0, "entry_hash": "b2d211f3a60b589611d580cc981c1a91d68e87da952f842df30a84c757b89b98"}';
    writeLines(python, [line]);
    const result = verifyFile(python, { state: { sequence: 1, lastHash: "b2d211f3a60b589611d580cc981c1a91d68e87da952f842df30a84c757b89b98" } });
    expect([result.status, result.entries]).toEqual([VerifyStatus.Intact, 1]);
  });

  test("50,000 records stream through and verify", async () => {
    const big = join(home.logDir, `big-${counter}.jsonl`);
    const written = writeChain(big, 50_000);
    const bigState = expectedState(big, written);
    const result = verifyFile(big, { state: bigState });
    expect([result.status, result.entries, result.lastSequence, result.lastHash]).toEqual([VerifyStatus.Intact, 50_000, 50_000, written.head.lastHash]);
    expect((await verifyFileAsync(big, { state: bigState })).status).toBe(VerifyStatus.Intact);
  });

  test("a damaged line deep in a large file is found by number", () => {
    const big = join(home.logDir, `big-damaged-${counter}.jsonl`);
    writeChain(big, 30_000);
    const lines = readLines(big);
    lines[23_456] = (lines[23_456] as string).replace("Success", "Succes5");
    writeLines(big, lines);
    expect(problems(verifyFile(big))).toEqual([[23_457, P.EntryHashMismatch]]);
  });

  test("a record longer than the read chunk (1 MiB) verifies", () => {
    const long = join(home.logDir, `long-${counter}.jsonl`);
    writeChain(long, 3, null, (i) => ({ event: "big", blob: "x".repeat(i === 2 ? 3_000_000 : 10) }));
    const result = verifyFile(long);
    expect([result.status, result.entries]).toEqual([VerifyStatus.Intact, 3]);
  });

  test("problems are capped and the rest counted", () => {
    const lines = readLines(file).map((l) => l.replace("tools/call", "tools/cal1"));
    writeLines(file, lines);
    const result = verifyFile(file, { maxProblems: 3 });
    expect([result.problems.length, result.omittedProblems]).toEqual([3, 7]);
  });

  test("a tail truncated to mid-line is torn, not silently shorter", () => {
    truncateSync(file, statSync(file).size - 30);
    const result = verifyFile(file, { state });
    expect(problems(result)).toEqual([[10, P.TornLine], [10, P.StateAhead]]);
  });
});

describe("incremental verification (resume from a verified head)", () => {
  test("checks only what follows the head, and catches a rewritten head or a cut", () => {
    const first = verifyFile(file, { state });
    const resume = { entryOffset: first.lastEntryOffset, line: first.lastLine, sequence: first.lastSequence, entryHash: first.lastHash as string };
    const more = writeChain(file, 4, chain.head);
    const grown = expectedState(file, more);
    const result = verifyFile(file, { state: grown, resume });
    expect([result.status, result.entries, result.firstSequence, result.lastSequence, result.lastLine, result.lines]).toEqual([VerifyStatus.Intact, 5, 10, 14, 14, 14]);
    expect(result.verifiedSize).toBe(statSync(file).size);

    // A forged line appended after the head is still caught.
    appendFileSync(file, '{"event":"forged"}\n');
    expect(problems(verifyFile(file, { state: grown, resume }))).toEqual([[15, P.UnchainedLine]]);

    // The head edited → its hash no longer matches; edited and re-hashed → no longer the verified head.
    const lines = readLines(file).slice(0, 14);
    const edited = [...lines];
    edited[9] = (edited[9] as string).replace("Failure", "Succes!");
    writeLines(file, edited);
    expect(problems(verifyFile(file, { state: grown, resume }))[0]).toEqual([10, P.EntryHashMismatch]);
    const record = JSON.parse(lines[9] as string) as Record<string, unknown>;
    record.method = "tools/list";
    writeLines(file, [...lines.slice(0, 9), forge(record), ...lines.slice(10)]);
    expect(problems(verifyFile(file, { state: grown, resume }))[0]).toEqual([10, P.StateMismatch]);

    // The file cut before the head → named.
    writeLines(file, readLines(file).slice(0, 5));
    expect(problems(verifyFile(file, { state: grown, resume }))).toEqual([[10, P.StateMismatch]]);
  });

  test("the async reader resumes the same way", async () => {
    const first = verifyFile(file, { state });
    const resume = { entryOffset: first.lastEntryOffset, line: first.lastLine, sequence: first.lastSequence, entryHash: first.lastHash as string };
    const more = writeChain(file, 2, chain.head);
    const result = await verifyFileAsync(file, { state: expectedState(file, more), resume });
    expect([result.status, result.entries, result.lastSequence]).toEqual([VerifyStatus.Intact, 3, 12]);
  });
});
