// Attestation digests as users paste them (any case, stray spaces) → the stored form.

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** 64 hex characters, returned lower-case; undefined when invalid. */
export function normalizeSha256(value: string): string | undefined {
  const trimmed = value.trim();
  return SHA256_HEX.test(trimmed) ? trimmed.toLowerCase() : undefined;
}
