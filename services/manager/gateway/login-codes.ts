import { createHash, randomBytes } from "node:crypto";
import { LOGIN_CODE_BYTES, LOGIN_CODE_TTL_MS } from "./constants.ts";

const digest = (code: string): string => createHash("sha256").update(code).digest("hex");

/**
 * Single-use, short-lived codes that a browser exchanges for the token cookie. Only digests are
 * kept, and lookups go through a Map keyed by digest, so no comparison leaks a code's prefix.
 */
export class LoginCodes {
  readonly #expiries = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number = LOGIN_CODE_TTL_MS, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  issue(): string {
    this.#dropExpired();
    const code = randomBytes(LOGIN_CODE_BYTES).toString("base64url");
    this.#expiries.set(digest(code), this.#now() + this.#ttlMs);
    return code;
  }

  /** True exactly once for a code issued less than the TTL ago. */
  consume(code: string): boolean {
    const key = digest(code);
    const expiry = this.#expiries.get(key);
    this.#expiries.delete(key);
    this.#dropExpired();
    return expiry !== undefined && this.#now() < expiry;
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [key, expiry] of this.#expiries) if (now >= expiry) this.#expiries.delete(key);
  }
}
