// Optional keyed MAC over an integrity state row (beyond the original, spec audit.md §16). Without
// a key, whoever can write the log dir can truncate a log and rewrite its state row to match, and
// nothing in the files can tell. With a key kept outside the log dir (the OS keychain), a row
// rewritten without the key fails this check.

import { timingSafeEqual } from "node:crypto";
import { hmacSha256Hex } from "./hash.ts";

export const STATE_MAC_ALGORITHM = "hmac-sha256/v1";

export interface MacFields {
  fileKey: string;
  sequence: number;
  lastHash: string;
  inode: string;
  device: string;
  size: number;
  offset: number;
}

export function computeStateMac(key: Uint8Array, row: MacFields): string {
  const text = [STATE_MAC_ALGORITHM, row.fileKey, row.sequence, row.lastHash, row.inode, row.device, row.size, row.offset].join("\n");
  return hmacSha256Hex(key, text);
}

/** Constant-time comparison of the stored MAC with the expected one. */
export function stateMacMatches(key: Uint8Array, row: MacFields, mac: string | null): boolean {
  if (mac === null) return false;
  const expected = Buffer.from(computeStateMac(key, row), "latin1");
  const actual = Buffer.from(mac, "latin1");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
