// The event hub's one error class. Its codes are transport-neutral: the Connect gateway maps them
// to Connect codes (RESOURCE_EXHAUSTED → 429-class, UNAVAILABLE → 503-class).

export enum HubErrorCode {
  /** The subscriber fell too far behind and was cut off; resubscribe with the last seq seen. */
  ResourceExhausted = "RESOURCE_EXHAUSTED",
  /** The hub is closed (the manager is shutting down). */
  Unavailable = "UNAVAILABLE",
}

export class HubError extends Error {
  override readonly name = "HubError";
  readonly code: HubErrorCode;

  constructor(code: HubErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
