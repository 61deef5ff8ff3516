import { RpcCode, RpcError } from "./rpc-error.ts";

/** The RpcError that explains why a signal fired (a non-RpcError reason means a plain cancel). */
export function abortReason(signal: AbortSignal, fallback = "call cancelled"): RpcError {
  return signal.reason instanceof RpcError ? signal.reason : new RpcError(RpcCode.CANCELLED, fallback);
}

export const ABORTED: unique symbol = Symbol("aborted");

/** Settles with ABORTED once the signal fires; never rejects. */
export function whenAborted(signal: AbortSignal): Promise<typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(ABORTED), { once: true }));
}
