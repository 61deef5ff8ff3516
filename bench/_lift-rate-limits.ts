// Bench-only preload for `mcp-acp start` (`bun --preload bench/_lift-rate-limits.ts cli/main.ts
// start …`). The proxy's global DoS bucket (10/s, burst 50) and per-tool loop limiter (30 calls a
// minute) exist to stop a runaway agent; they would refuse a benchmark's thousands of calls after
// the first few dozen. This keeps both limiters running — their cost stays in the figures — and
// only ignores their verdicts. Everything else is the unmodified `start` command.
import { TokenBucket, ToolLoopLimiter } from "../services/proxy/enforcement/index.ts";

const take = TokenBucket.prototype.tryTake;
TokenBucket.prototype.tryTake = function tryTakeNeverRefusing(this: TokenBucket): boolean {
  take.call(this);
  return true;
};

const check = ToolLoopLimiter.prototype.check;
ToolLoopLimiter.prototype.check = function checkNeverBreaching(this: ToolLoopLimiter, sessionId: string, toolName: string) {
  return { ...check.call(this, sessionId, toolName), breach: false };
};
