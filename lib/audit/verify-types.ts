// Shapes of a file verification (spec audit.md §5.3, §5.4). Findings are data, not exceptions:
// the startup gate, the health monitor, the CLI and the RPCs all read the same result.

/** Kind of an integrity problem. Any problem makes the file `tampered`. */
export enum IntegrityProblemCode {
  /** A complete line is not one valid JSON object (or repeats a member name). */
  InvalidJson = "invalid_json",
  /** The last line has no final newline: a write was cut short (crash) or the tail was cut. */
  TornLine = "torn_line",
  /** A line has some chain fields but not all, or one has the wrong type or format. */
  MissingChainField = "missing_chain_field",
  /** A line without chain fields after the chain has started (an unchained insertion). */
  UnchainedLine = "unchained_line",
  /** The first chained entry does not start at GENESIS with sequence 1. */
  ChainStart = "chain_start",
  /** prev_hash differs from the previous entry's entry_hash (chain break). */
  PrevHashMismatch = "prev_hash_mismatch",
  /** sequence is not the previous sequence + 1. */
  SequenceGap = "sequence_gap",
  /** An entry that the chain skips over: the next entry links to the one before it. */
  InsertedLine = "inserted_line",
  /** Two neighbouring entries are in the wrong order. */
  SwappedLines = "swapped_lines",
  /** entry_hash differs from the hash of the line's content (content edited). */
  EntryHashMismatch = "entry_hash_mismatch",
  /** A witnessed (checkpointed) head is not in the file any more. */
  WitnessMissing = "witness_missing",
  /** The file is gone although the integrity state records entries for it. */
  FileMissing = "file_missing",
  /** The file is empty although the integrity state records entries for it. */
  FileEmptied = "file_emptied",
  /** The file's inode or device differs from the state, or it is not a regular file. */
  FileReplaced = "file_replaced",
  /** The state records more entries than the file holds (tail truncated, or state ahead). */
  StateAhead = "state_ahead",
  /** The file's chain does not end where (or as) the integrity state says. */
  StateMismatch = "state_mismatch",
  /** Chained entries exist but the integrity state has no record of the file. */
  StateMissing = "state_missing",
  /** The integrity state itself is unreadable, inconsistent or fails its MAC. */
  StateCorrupt = "state_corrupt",
  /** The file could not be read (the verdict is then `unverifiable`, not `tampered`). */
  ReadError = "read_error",
}

export enum IntegrityWarningCode {
  /** Lines without chain fields before the first chained entry (written before chaining). */
  PreChainLines = "pre_chain_lines",
  BlankLine = "blank_line",
  /** A `time` earlier than the previous entry's (clock change); not an error. */
  TimeBackwards = "time_backwards",
  /** The state lags the file by verified entries (crash between append and state update). */
  StateLagging = "state_lagging",
  NotCreated = "not_created",
  Empty = "empty",
  /** The file has content but no chained entry. */
  Unprotected = "unprotected",
}

export enum VerifyStatus {
  /** A non-empty chain that verifies, and agrees with the state when one was given. */
  Intact = "intact",
  /** At least one problem: tampering, truncation, replacement or a torn write. */
  Tampered = "tampered",
  /** The file could not be read; nothing can be said about it. */
  Unverifiable = "unverifiable",
  /** Empty file and no state that says otherwise. */
  Empty = "empty",
  /** No file and no state that says otherwise. */
  Missing = "missing",
  /** Content without any chained entry, and no state that says otherwise. */
  Unprotected = "unprotected",
}

export interface IntegrityProblem {
  /** 1-based line in the file; 0 when the problem is about the file as a whole. */
  line: number;
  code: IntegrityProblemCode;
  /** Human-readable: what is wrong, with full hashes and sequences. */
  reason: string;
  /** The line's sequence, when it has a readable one. */
  sequence?: number;
}

export interface IntegrityWarning {
  line: number;
  code: IntegrityWarningCode;
  message: string;
}

export interface FileIdentity {
  /** Decimal strings: inode and device numbers can exceed 2^53. */
  inode: string;
  device: string;
}

/** What the integrity state says about a file (a subset of an IntegrityStateRow). */
export interface ExpectedFileState {
  sequence: number;
  lastHash: string;
  inode?: string;
  device?: string;
  /** File size in bytes right after the last recorded entry. */
  size?: number;
}

/** A head that an outside witness (signed checkpoint) saw; it must still be in the file. */
export interface WitnessHead {
  sequence: number;
  entryHash: string;
}

/** Where an earlier verification ended: the last entry it checked. */
export interface VerifiedHead {
  /** Byte offset where that entry's line starts (VerifyFileResult.lastEntryOffset). */
  entryOffset: number;
  /** Its line number (VerifyFileResult.lastLine). */
  line: number;
  sequence: number;
  entryHash: string;
}

export interface VerifyFileOptions {
  /**
   * The integrity state to compare with. `null` means "no state recorded": then chained content is
   * a StateMissing problem (fail closed). Leave undefined to check the chain alone.
   */
  state?: ExpectedFileState | null;
  /** Heads from signed checkpoints; each must still be present with the same hash. */
  witnesses?: readonly WitnessHead[];
  /** How many verified entries the state may lag behind the file (default: any). */
  maxStateLag?: number;
  /** Stop listing problems after this many (the rest are counted). Default 100. */
  maxProblems?: number;
  /** Name used in messages, e.g. the file key `audit/operations.jsonl` (default: the path). */
  label?: string;
  /**
   * Verify incrementally (the health monitor's periodic check): start at this earlier head's line,
   * which must still hold the same entry, and check everything after it. The lines before it are
   * not re-read; `entries` and `lines` then count from that line on.
   */
  resume?: VerifiedHead;
}

export interface TornTail {
  /** The line number the fragment would have. */
  line: number;
  /** Byte offset where the fragment starts (the size to truncate the file to). */
  offset: number;
  /** Length of the fragment in bytes. */
  bytes: number;
}

export interface VerifyFileResult {
  path: string;
  label: string;
  status: VerifyStatus;
  /** Chained entries checked. */
  entries: number;
  /** Complete lines read, blank and unchained ones included. */
  lines: number;
  /** Sequence of the first and last chained entries; 0 when there is none. */
  firstSequence: number;
  lastSequence: number;
  /** entry_hash of the last chained entry, as stored; null when there is none. */
  lastHash: string | null;
  /** Line number of the last chained entry; 0 when there is none. */
  lastLine: number;
  /** Byte offset where the last chained entry's line starts; -1 when there is none. */
  lastEntryOffset: number;
  /** Byte offset just after the last complete line (the file size minus any torn tail). */
  verifiedSize: number;
  /** Size of the file as read. */
  fileSize: number;
  identity: FileIdentity | null;
  torn: TornTail | null;
  /** Entries the state lags behind the file (0 when in step or when no state was given). */
  stateLag: number;
  problems: IntegrityProblem[];
  /** Problems found beyond maxProblems. */
  omittedProblems: number;
  warnings: IntegrityWarning[];
}
