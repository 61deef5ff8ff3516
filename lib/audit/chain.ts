// The hash chain of spec audit.md §5.1: every record carries `sequence` and `prev_hash` (the
// previous record's entry_hash, GENESIS for the first) and `entry_hash`, the SHA-256 of the
// record's canonical JSON without entry_hash. Sealing is pure: it returns the line to append and
// the new chain head; the caller appends, syncs, and only then records the head (state may lag
// the file, never lead it).

import { canonicalJson, type JsonObject, type JsonValue } from "./canonical-json.ts";
import { AuditError, AuditErrorCode } from "./errors.ts";
import { isSha256Hex, sha256Hex } from "./hash.ts";
import { formatAuditTime } from "./time.ts";

export const GENESIS = "GENESIS";
export const FIRST_SEQUENCE = 1;

/** Keys the chain writes itself; payloads that use them are rejected (spec §3, [new]). */
export const RESERVED_KEYS: readonly string[] = ["time", "sequence", "prev_hash", "entry_hash"];

/** The last sealed record of a file: what the next record links to. */
export interface ChainHead {
  /** Sequence of the last record; 0 for a file with no chained record yet. */
  readonly sequence: number;
  /** entry_hash of the last record; GENESIS when sequence is 0. */
  readonly lastHash: string;
}

/** The head of a file with no chained record. */
export const EMPTY_CHAIN_HEAD: ChainHead = Object.freeze({ sequence: 0, lastHash: GENESIS });

export interface SealedRecord {
  /** The JSON line to append, `\n` included; `time` first, `entry_hash` last. */
  readonly line: string;
  /** UTF-8 byte length of `line`. */
  readonly bytes: number;
  readonly time: string;
  readonly sequence: number;
  readonly prevHash: string;
  readonly entryHash: string;
  /** The head after this record; record it only once the line is durably appended. */
  readonly head: ChainHead;
}

export interface SealOptions {
  /** Record time (default now); a Date is formatted as ms + Z. */
  time?: Date | string;
}

/** entry_hash for a record's canonical text (spec §5.2). */
export function entryHashOfCanonical(canonical: string): string {
  return sha256Hex(canonical);
}

/** entry_hash of a record given as a JS object; an `entry_hash` member in it is ignored. */
export function computeEntryHash(record: JsonObject): string {
  if (record.entry_hash === undefined) return entryHashOfCanonical(canonicalJson(record));
  const { entry_hash: _ignored, ...rest } = record;
  return entryHashOfCanonical(canonicalJson(rest));
}

/** Throws AuditError(InvalidChainHead) unless `head` is a head a chain can continue from. */
export function assertChainHead(head: ChainHead): void {
  const { sequence, lastHash } = head;
  const ok = Number.isSafeInteger(sequence) && sequence >= 0 && (sequence === 0 ? lastHash === GENESIS : isSha256Hex(lastHash));
  if (!ok) {
    throw new AuditError(AuditErrorCode.InvalidChainHead, `Invalid chain head (sequence ${String(sequence)}, last hash ${JSON.stringify(lastHash)})`, {
      hint: "A head is (0, GENESIS) for an empty file, or the last record's sequence and 64-hex entry_hash.",
    });
  }
}

/**
 * The payload of a record as the original accepted it (spec §5.1 step 3): an object as is, a
 * string starting with `{` parsed as a JSON object, anything else wrapped as `{message}`.
 */
export function normalizePayload(input: unknown): JsonObject {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) return input as JsonObject;
  if (typeof input === "string" && input.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(input);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
    } catch {
      // Not JSON after all: falls through to {message}.
    }
  }
  if (typeof input === "string") return { message: input };
  return { message: input === undefined ? "undefined" : (JSON.stringify(input) ?? String(input)) };
}

/** Throws AuditError(ReservedKey) when the payload sets time, sequence, prev_hash or entry_hash. */
export function assertNoReservedKeys(payload: JsonObject): void {
  for (const key of RESERVED_KEYS) {
    if (Object.hasOwn(payload, key)) {
      throw new AuditError(AuditErrorCode.ReservedKey, `Audit payload sets the reserved key "${key}", which the hash chain writes itself`, {
        hint: `Rename the payload's "${key}" field; ${RESERVED_KEYS.join(", ")} are reserved.`,
      });
    }
  }
}

/**
 * Seals `payload` as the record after `head` (null or EMPTY_CHAIN_HEAD: the first record, GENESIS).
 * Top-level null and undefined members are omitted (spec §3). Throws AuditError for reserved keys,
 * values JSON cannot hold exactly, or an invalid head. Pure: writes nothing.
 */
export function sealRecord(payload: JsonObject, head: ChainHead | null, options: SealOptions = {}): SealedRecord {
  const from = head ?? EMPTY_CHAIN_HEAD;
  assertChainHead(from);
  assertNoReservedKeys(payload);
  const time = typeof options.time === "string" ? options.time : formatAuditTime(options.time);
  const sequence = from.sequence + 1;
  const prevHash = from.sequence === 0 ? GENESIS : from.lastHash;
  // A null-prototype object, so a payload key named "__proto__" stays an ordinary member.
  const record = Object.create(null) as Record<string, JsonValue>;
  record.time = time;
  record.sequence = sequence;
  record.prev_hash = prevHash;
  for (const key of Object.keys(payload)) {
    const value = payload[key];
    if (value !== undefined && value !== null) record[key] = value;
  }
  const entryHash = entryHashOfCanonical(canonicalJson(record));
  // canonicalJson has rejected everything JSON.stringify would alter, so the line re-canonicalises
  // to exactly what was hashed.
  const body = JSON.stringify(record);
  const line = `${body.slice(0, -1)},"entry_hash":"${entryHash}"}\n`;
  return {
    line,
    bytes: Buffer.byteLength(line, "utf8"),
    time,
    sequence,
    prevHash,
    entryHash,
    head: { sequence, lastHash: entryHash },
  };
}
