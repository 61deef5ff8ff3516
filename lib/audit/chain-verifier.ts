// The line-by-line chain check of spec audit.md §5.3 plus the state comparison of §5.4, as a state
// machine fed one line at a time, so the same logic serves the sync and async file readers and
// never holds more than one line. Stricter than the original where it let tampering through:
// unchained lines after the chain started, a GENESIS entry whose sequence is not 1, duplicate
// member names, and chained content without state are all problems.

import { FieldKind, LineCanonicalizer, LineSyntaxError } from "./canonical-line.ts";
import { GENESIS } from "./chain.ts";
import { isSha256Hex } from "./hash.ts";
import {
  type ExpectedFileState,
  type FileIdentity,
  type IntegrityProblem,
  IntegrityProblemCode as P,
  type IntegrityWarning,
  IntegrityWarningCode as W,
  type TornTail,
  type VerifyFileOptions,
  type VerifiedHead,
  type VerifyFileResult,
  VerifyStatus,
  type WitnessHead,
} from "./verify-types.ts";

const DEFAULT_MAX_PROBLEMS = 100;
const MAX_WARNINGS = 100;

/** A positive safe integer written as plain digits without a leading zero, else NaN. */
function parseSequence(lexeme: string): number {
  const first = lexeme.charCodeAt(0);
  if (!(first >= 0x31 && first <= 0x39)) return Number.NaN;
  for (let i = 1; i < lexeme.length; i++) {
    const c = lexeme.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return Number.NaN;
  }
  const value = Number(lexeme);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buffer[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export interface FileFacts {
  path: string;
  identity: FileIdentity | null;
  fileSize: number;
  /** Offset just past the last complete line. */
  verifiedSize: number;
}

export class ChainVerifier {
  private readonly scanner = new LineCanonicalizer();
  private readonly label: string;
  private readonly state: ExpectedFileState | null | undefined;
  private readonly maxProblems: number;
  private readonly maxStateLag: number;
  private readonly witnesses: Map<number, string> | null;
  private readonly witnessesSeen = new Set<number>();
  /** In a resumed check, the head the first line must still hold; cleared once checked. */
  private resume: VerifiedHead | null;

  private problems: IntegrityProblem[] = [];
  private omittedProblems = 0;
  private warnings: IntegrityWarning[] = [];

  private lines = 0;
  private contentLines = 0;
  private preChainLines = 0;
  private entries = 0;
  private chainStarted = false;
  /** The previous line could not be read as a chain entry, so the next link cannot be checked. */
  private linkUnknown = false;
  private firstSequence = 0;
  private lastSequence = 0;
  private lastHash = "";
  private lastPrevHash = "";
  private lastLine = 0;
  private lastEntryOffset = -1;
  private lastTime = "";
  private beforeLastHash = "";
  private beforeLastSequence = 0;
  private beforeLastLine = 0;
  /** Where the entry with the state's sequence was found, to judge a lagging state. */
  private anchorLine = 0;
  private anchorHash = "";
  private torn: TornTail | null = null;

  constructor(options: VerifyFileOptions, label: string) {
    this.label = label;
    this.state = options.state;
    this.maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
    this.maxStateLag = options.maxStateLag ?? Number.POSITIVE_INFINITY;
    const witnesses = options.witnesses ?? [];
    this.witnesses = witnesses.length === 0 ? null : new Map(witnesses.map((w: WitnessHead) => [w.sequence, w.entryHash]));
    this.resume = options.resume ?? null;
    // A resumed check starts inside the chain: unchained lines are insertions from the first line.
    this.chainStarted = this.resume !== null;
  }

  private problem(line: number, code: P, reason: string, sequence?: number): void {
    if (this.problems.length >= this.maxProblems) {
      this.omittedProblems++;
      return;
    }
    const entry: IntegrityProblem = { line, code, reason };
    if (sequence !== undefined && !Number.isNaN(sequence)) entry.sequence = sequence;
    this.problems.push(entry);
  }

  private warn(line: number, code: W, message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line, code, message });
  }

  /** One complete line at buffer[start, end) (no `\n`), its 1-based number and byte offset. */
  acceptLine(buffer: Buffer, start: number, end: number, lineNo: number, offset: number): void {
    this.lines = lineNo;
    if (buffer[start] !== 0x7b && isBlank(buffer, start, end)) {
      this.warn(lineNo, W.BlankLine, `Line ${lineNo} is blank`);
      return;
    }
    this.contentLines++;
    const p = this.scanner;
    try {
      p.parse(buffer, start, end);
    } catch (error) {
      if (!(error instanceof LineSyntaxError)) throw error;
      this.problem(lineNo, P.InvalidJson, `Line ${lineNo} is not a valid JSON object (${error.message}): the line was altered or corrupted`);
      if (this.chainStarted) this.linkUnknown = true;
      return;
    }
    const hasSequence = p.sequenceKind !== FieldKind.Absent;
    const hasPrev = p.prevHashKind !== FieldKind.Absent;
    const hasEntry = p.entryHashKind !== FieldKind.Absent;
    if (!hasSequence && !hasPrev && !hasEntry) {
      this.acceptUnchained(lineNo);
      return;
    }
    const sequence = p.sequenceKind === FieldKind.Number ? parseSequence(p.sequenceLexeme) : Number.NaN;
    const fieldProblem = this.chainFieldProblem(hasSequence, hasPrev, hasEntry, sequence);
    if (fieldProblem !== null) {
      this.problem(lineNo, P.MissingChainField, `Line ${lineNo} ${fieldProblem}`, sequence);
      this.chainStarted = true;
      this.linkUnknown = true;
      return;
    }
    const entryHash = p.entryHash;
    const prevHash = p.prevHash;
    const computed = p.canonicalHash();
    if (computed !== entryHash) {
      const format = isSha256Hex(entryHash) ? "" : " (and it is not 64 lowercase hex digits)";
      this.problem(
        lineNo,
        P.EntryHashMismatch,
        `Entry hash mismatch on line ${lineNo} (sequence ${sequence}): stored entry_hash ${entryHash}${format}, but the content hashes to ${computed}: the entry was edited`,
        sequence,
      );
    }
    let head = { hash: entryHash, sequence, line: lineNo };
    if (this.resume !== null) this.checkResumed(lineNo, sequence, entryHash);
    else if (!this.chainStarted) this.checkStart(lineNo, sequence, prevHash);
    else if (!this.linkUnknown) head = this.checkLink(lineNo, sequence, prevHash, entryHash);
    if (p.timeKind === FieldKind.String) {
      if (this.lastTime !== "" && p.time < this.lastTime) {
        this.warn(lineNo, W.TimeBackwards, `Line ${lineNo}: time ${p.time} is earlier than the previous entry's ${this.lastTime}`);
      }
      this.lastTime = p.time;
    }
    if (this.witnesses !== null) this.checkWitness(lineNo, sequence, entryHash);
    if (this.state && sequence === this.state.sequence) {
      this.anchorLine = lineNo;
      this.anchorHash = entryHash;
    }
    this.beforeLastHash = this.lastHash;
    this.beforeLastSequence = this.lastSequence;
    this.beforeLastLine = this.lastLine;
    this.lastPrevHash = prevHash;
    this.lastHash = head.hash;
    this.lastSequence = head.sequence;
    this.lastLine = lineNo;
    this.lastEntryOffset = offset;
    this.entries++;
    this.chainStarted = true;
    this.linkUnknown = false;
  }

  private acceptUnchained(lineNo: number): void {
    if (this.chainStarted) {
      this.problem(
        lineNo,
        P.UnchainedLine,
        `Line ${lineNo} has no sequence, prev_hash or entry_hash but follows chained entries: it was inserted outside the audit writer`,
      );
      return;
    }
    if (this.preChainLines++ === 0) {
      this.warn(lineNo, W.PreChainLines, `Line ${lineNo} and the lines up to the first chained entry are not chained (written before chaining was enabled)`);
    }
  }

  private chainFieldProblem(hasSequence: boolean, hasPrev: boolean, hasEntry: boolean, sequence: number): string | null {
    const missing = [hasSequence ? "" : "sequence", hasPrev ? "" : "prev_hash", hasEntry ? "" : "entry_hash"].filter((f) => f !== "");
    if (missing.length > 0) return `is a chained entry without ${missing.join(" and ")}`;
    const p = this.scanner;
    if (Number.isNaN(sequence)) return `has a sequence that is not a positive integer (${p.sequenceKind === FieldKind.Number ? p.sequenceLexeme : "not a number"})`;
    if (p.prevHashKind !== FieldKind.String) return "has a prev_hash that is not a string";
    if (p.entryHashKind !== FieldKind.String) return "has an entry_hash that is not a string";
    return null;
  }

  private checkResumed(lineNo: number, sequence: number, entryHash: string): void {
    const resume = this.resume as VerifiedHead;
    this.resume = null;
    this.firstSequence = sequence;
    if (lineNo !== resume.line || sequence !== resume.sequence || entryHash !== resume.entryHash) {
      this.problem(
        lineNo,
        P.StateMismatch,
        `Line ${lineNo} (sequence ${sequence}, hash ${entryHash}) no longer holds the entry verified earlier there (line ${resume.line}, sequence ${resume.sequence}, hash ${resume.entryHash}): the file was rewritten`,
        sequence,
      );
    }
  }

  private checkStart(lineNo: number, sequence: number, prevHash: string): void {
    this.firstSequence = sequence;
    if (prevHash !== GENESIS) {
      this.problem(
        lineNo,
        P.ChainStart,
        `The first chained entry (line ${lineNo}, sequence ${sequence}) links to ${prevHash} instead of GENESIS: the entries before it were removed`,
        sequence,
      );
    } else if (sequence !== 1) {
      this.problem(lineNo, P.ChainStart, `The GENESIS entry on line ${lineNo} has sequence ${sequence}; the first sequence must be 1`, sequence);
    }
  }

  /** Checks prev_hash and sequence against the previous entry; returns the head to continue from. */
  private checkLink(lineNo: number, sequence: number, prevHash: string, entryHash: string): { hash: string; sequence: number; line: number } {
    const expected = this.lastSequence + 1;
    const head = { hash: entryHash, sequence, line: lineNo };
    const linked = prevHash === this.lastHash;
    if (linked && sequence === expected) return head;
    if (!linked && this.beforeLastLine > 0 && prevHash === this.beforeLastHash && sequence === this.beforeLastSequence + 1) {
      // The previous line's own link problems are explained better by what follows.
      this.dropLinkProblems(this.lastLine);
      if (this.lastPrevHash === entryHash && this.lastSequence === sequence + 1) {
        this.problem(
          this.lastLine,
          P.SwappedLines,
          `Lines ${this.lastLine} and ${lineNo} are in the wrong order: line ${this.lastLine} (sequence ${this.lastSequence}) links to line ${lineNo} (sequence ${sequence}), which links to line ${this.beforeLastLine}`,
          this.lastSequence,
        );
        // Continue from the later of the two, so the next line links cleanly.
        return { hash: this.lastHash, sequence: this.lastSequence, line: this.lastLine };
      }
      this.problem(
        this.lastLine,
        P.InsertedLine,
        `Line ${this.lastLine} (sequence ${this.lastSequence}) is not part of the chain: line ${lineNo} links past it to line ${this.beforeLastLine} (sequence ${this.beforeLastSequence}); it was inserted`,
        this.lastSequence,
      );
      return head;
    }
    if (!linked) {
      const detail =
        prevHash === GENESIS
          ? `the chain restarts at GENESIS on line ${lineNo}`
          : `prev_hash ${prevHash} does not match entry_hash ${this.lastHash} of line ${this.lastLine} (sequence ${this.lastSequence})`;
      this.problem(lineNo, P.PrevHashMismatch, `Chain break on line ${lineNo} (sequence ${sequence}): ${detail}: an entry was removed, reordered or rewritten`, sequence);
    }
    if (sequence !== expected) {
      const detail =
        sequence > expected
          ? `${sequence - expected} entr${sequence - expected === 1 ? "y is" : "ies are"} missing before it (sequence ${expected}${sequence - expected > 1 ? `–${sequence - 1}` : ""})`
          : "the sequence repeats or goes back";
      this.problem(lineNo, P.SequenceGap, `Sequence gap on line ${lineNo}: expected sequence ${expected} after line ${this.lastLine}, found ${sequence}: ${detail}`, sequence);
    }
    return head;
  }

  private dropLinkProblems(line: number): void {
    this.problems = this.problems.filter((p) => p.line !== line || (p.code !== P.PrevHashMismatch && p.code !== P.SequenceGap));
  }

  private checkWitness(lineNo: number, sequence: number, entryHash: string): void {
    const witnessed = this.witnesses?.get(sequence);
    if (witnessed === undefined) return;
    this.witnessesSeen.add(sequence);
    if (witnessed !== entryHash) {
      this.problem(
        lineNo,
        P.WitnessMissing,
        `Line ${lineNo} (sequence ${sequence}) has entry_hash ${entryHash}, but a signed checkpoint recorded ${witnessed}: the entry was rewritten`,
        sequence,
      );
    }
  }

  /** The bytes after the last newline at end of file. */
  acceptTorn(buffer: Buffer, start: number, end: number, lineNo: number, offset: number): void {
    const bytes = end - start;
    this.torn = { line: lineNo, offset, bytes };
    let kind = "an incomplete JSON line";
    try {
      this.scanner.parse(buffer, start, end);
      kind = "a JSON line without its final newline";
    } catch (error) {
      if (!(error instanceof LineSyntaxError)) throw error;
    }
    this.problem(
      lineNo,
      P.TornLine,
      `Line ${lineNo} is torn: ${bytes} byte(s) at offset ${offset} form ${kind} (a write cut short by a crash, or a cut tail); it is not part of the verified chain and must be quarantined`,
    );
  }

  /** Missing-file result; with a state this is tampering (the file was deleted after being protected). */
  static missing(path: string, label: string, state: ExpectedFileState | null | undefined): VerifyFileResult {
    const v = new ChainVerifier({ state }, label);
    if (state) {
      v.problem(0, P.FileMissing, `${label} is missing, but the integrity state records ${state.sequence} entries (last hash ${state.lastHash}): the file was deleted`);
    } else {
      v.warn(0, W.NotCreated, `${label} does not exist yet`);
    }
    return v.result({ path, identity: null, fileSize: 0, verifiedSize: 0 }, state ? VerifyStatus.Tampered : VerifyStatus.Missing);
  }

  /** Unreadable file: nothing can be concluded. */
  static unreadable(path: string, label: string, reason: string, identity: FileIdentity | null = null): VerifyFileResult {
    const v = new ChainVerifier({}, label);
    v.problem(0, P.ReadError, reason);
    return v.result({ path, identity, fileSize: 0, verifiedSize: 0 }, VerifyStatus.Unverifiable);
  }

  /** A path that is not a regular file where a log should be (symlink, directory, device…). */
  static notRegular(path: string, label: string, what: string): VerifyFileResult {
    const v = new ChainVerifier({}, label);
    v.problem(0, P.FileReplaced, `${label} is ${what}, not a regular file: it was replaced`);
    return v.result({ path, identity: null, fileSize: 0, verifiedSize: 0 }, VerifyStatus.Tampered);
  }

  /** Compares with the state and builds the result once every line has been fed. */
  finish(facts: FileFacts): VerifyFileResult {
    const state = this.state;
    const hasContent = this.contentLines > 0 || this.torn !== null;
    if (state === null && this.entries > 0) {
      this.problem(
        0,
        P.StateMissing,
        `${this.label} holds ${this.entries} chained entries (last sequence ${this.lastSequence}) but the integrity state has no record of it: the state was deleted or lost, so a truncation or rewrite could not be detected`,
      );
    }
    if (this.resume !== null) {
      this.problem(
        this.resume.line,
        P.StateMismatch,
        `The entry verified earlier at line ${this.resume.line} (sequence ${this.resume.sequence}) is no longer there: the file was truncated or rewritten`,
        this.resume.sequence,
      );
    } else if (state) this.compareWithState(state, facts, hasContent);
    this.checkWitnessesPresent();
    let status: VerifyStatus;
    if (this.problems.length > 0 || this.omittedProblems > 0) status = VerifyStatus.Tampered;
    else if (!hasContent) status = VerifyStatus.Empty;
    else if (this.entries === 0) status = VerifyStatus.Unprotected;
    else status = VerifyStatus.Intact;
    if (status === VerifyStatus.Empty) this.warn(0, W.Empty, `${this.label} is empty`);
    if (status === VerifyStatus.Unprotected) this.warn(0, W.Unprotected, `${this.label} has no chained entries (unprotected)`);
    return this.result(facts, status);
  }

  private compareWithState(state: ExpectedFileState, facts: FileFacts, hasContent: boolean): void {
    const label = this.label;
    if (facts.identity && state.inode !== undefined && state.device !== undefined) {
      if (facts.identity.inode !== state.inode || facts.identity.device !== state.device) {
        this.problem(
          0,
          P.FileReplaced,
          `${label} was replaced or recreated: inode ${facts.identity.inode} on device ${facts.identity.device}, but the integrity state recorded inode ${state.inode} on device ${state.device}`,
        );
      }
    }
    if (state.sequence <= 0) return;
    if (!hasContent) {
      this.problem(0, P.FileEmptied, `${label} is empty, but the integrity state records ${state.sequence} entries (last hash ${state.lastHash}): all entries were deleted`);
      return;
    }
    if (this.entries === 0) {
      this.problem(0, P.StateMismatch, `${label} has no chained entry, but the integrity state records ${state.sequence} (last hash ${state.lastHash}): the chained entries were deleted`);
      return;
    }
    const stateSays = `the integrity state records sequence ${state.sequence} with hash ${state.lastHash}`;
    if (state.sequence > this.lastSequence) {
      const shorter = state.size !== undefined && facts.verifiedSize < state.size ? ` (the file has ${facts.verifiedSize} bytes, the state recorded ${state.size})` : "";
      this.problem(
        this.lastLine + 1,
        P.StateAhead,
        `${label} ends at sequence ${this.lastSequence} on line ${this.lastLine}, but ${stateSays}${shorter}: ${state.sequence - this.lastSequence} entr${state.sequence - this.lastSequence === 1 ? "y is" : "ies are"} missing from line ${this.lastLine + 1} on (tail truncated, or state ahead of the file)`,
      );
      return;
    }
    if (state.sequence === this.lastSequence) {
      if (state.lastHash !== this.lastHash) {
        this.problem(this.lastLine, P.StateMismatch, `The last entry of ${label} (line ${this.lastLine}) has entry_hash ${this.lastHash}, but ${stateSays}: the tail was rewritten`, this.lastSequence);
      } else if (state.size !== undefined && facts.verifiedSize < state.size && this.problems.length === 0) {
        // Only reachable by rewriting the whole chain consistently; chain problems say more.
        this.problem(
          this.lastLine,
          P.StateMismatch,
          `${label} has ${facts.verifiedSize} bytes up to its last entry, but the integrity state recorded ${state.size}: the file was shortened`,
          this.lastSequence,
        );
      }
      return;
    }
    // The state lags the file: acceptable only if the state's head is an entry of this chain.
    if (this.anchorLine === 0) {
      this.problem(0, P.StateMismatch, `${label} has no entry with sequence ${state.sequence}, but ${stateSays}`);
      return;
    }
    if (this.anchorHash !== state.lastHash) {
      this.problem(this.anchorLine, P.StateMismatch, `Line ${this.anchorLine} (sequence ${state.sequence}) has entry_hash ${this.anchorHash}, but ${stateSays}: the entry was rewritten`, state.sequence);
      return;
    }
    const lag = this.lastSequence - state.sequence;
    if (lag > this.maxStateLag) {
      this.problem(
        this.anchorLine + 1,
        P.StateMismatch,
        `${label} has ${lag} verified entries after sequence ${state.sequence} (line ${this.anchorLine}) that the integrity state does not record; at most ${this.maxStateLag} are accepted`,
      );
      return;
    }
    this.stateLag = lag;
    this.warn(
      this.anchorLine + 1,
      W.StateLagging,
      `The integrity state lags ${label} by ${lag} verified entr${lag === 1 ? "y" : "ies"} (state at sequence ${state.sequence}, file at ${this.lastSequence}); advance the state`,
    );
  }

  private stateLag = 0;

  private checkWitnessesPresent(): void {
    if (this.witnesses === null) return;
    for (const [sequence, hash] of this.witnesses) {
      if (this.witnessesSeen.has(sequence)) continue;
      const line = sequence > this.lastSequence ? this.lastLine + 1 : 0;
      this.problem(
        line,
        P.WitnessMissing,
        `${this.label} no longer holds the entry with sequence ${sequence} (hash ${hash}) that a signed checkpoint witnessed: entries were removed${sequence > this.lastSequence ? ` after line ${this.lastLine}` : ""}`,
        sequence,
      );
    }
  }

  private result(facts: FileFacts, status: VerifyStatus): VerifyFileResult {
    return {
      path: facts.path,
      label: this.label,
      status,
      entries: this.entries,
      lines: this.lines,
      firstSequence: this.firstSequence,
      lastSequence: this.lastSequence,
      lastHash: this.entries > 0 ? this.lastHash : null,
      lastLine: this.lastLine,
      lastEntryOffset: this.lastEntryOffset,
      verifiedSize: facts.verifiedSize,
      fileSize: facts.fileSize,
      identity: facts.identity,
      torn: this.torn,
      stateLag: this.stateLag,
      problems: this.problems,
      omittedProblems: this.omittedProblems,
      warnings: this.warnings,
    };
  }
}
