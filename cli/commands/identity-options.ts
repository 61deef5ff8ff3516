// Validation of `init`'s OIDC options before they reach the config schema, so errors name the flag.
import { issuerUrlProblem } from "../../lib/config/index.ts";
import { failure, usageError } from "../errors.ts";

/** The library's issuer rule (https://, or http:// for localhost test providers), naming the flag. */
export function checkIssuerUrl(issuer: string): void {
  const problem = issuerUrlProblem(issuer);
  if (problem !== undefined) {
    throw failure(`Invalid --oidc-issuer '${issuer}': ${problem}.`, "Use the issuer URL of your identity provider, e.g. https://example.eu.auth0.com/.");
  }
}

/** "openid profile email" (spaces and/or commas) → ["openid", "profile", "email"]. */
export function parseScopes(value: string): string[] {
  const scopes = value.split(/[\s,]+/).filter((s) => s !== "");
  if (scopes.length === 0) throw usageError("Option --oidc-scopes needs at least one scope.");
  return scopes;
}

export function requireNonEmpty(value: string, flag: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw failure(`Option ${flag} must not be empty.`);
  return trimmed;
}
