// Ids that identify a person or a session are pseudonymised in auth.jsonl (spec §4.3):
// `sha256:` + the first 8 hex digits. With a key (spec §16.1) it is an HMAC, which a dictionary
// of likely ids cannot reverse.

import { hmacSha256Hex, sha256Hex } from "../hash.ts";

export const EMPTY_PSEUDONYM = "sha256:empty";

export function pseudonymizeId(value: string, key?: Uint8Array): string {
  if (value === "") return EMPTY_PSEUDONYM;
  const digest = key === undefined ? sha256Hex(value) : hmacSha256Hex(key, value);
  return `sha256:${digest.slice(0, 8)}`;
}
