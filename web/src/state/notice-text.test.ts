import { expect, test } from "bun:test";
import { Severity } from "../../../lib/gen/mcpacp/common/v1/severity_pb.ts";
import { noticeText, severityLevel } from "./notice-text.ts";
import { ev } from "./test-events.ts";

test("notice text prefers the event message and names the proxy once", () => {
  expect(noticeText(ev({ proxyName: "fs", message: "Backend reconnected after 3 s", payload: { case: "backendReconnected", value: {} } }))).toBe(
    "[fs] Backend reconnected after 3 s",
  );
  expect(noticeText(ev({ proxyName: "fs", message: "Proxy fs reloaded", payload: { case: "policyReloaded", value: {} } }))).toBe("Proxy fs reloaded");
  expect(noticeText(ev({ payload: { case: "rateLimitTriggered", value: {} } }))).toBe("Rate limit triggered");
});

test("severity maps to toast levels with info as the default", () => {
  expect(severityLevel(Severity.CRITICAL)).toBe("critical");
  expect(severityLevel(Severity.WARNING)).toBe("warning");
  expect(severityLevel(Severity.UNSPECIFIED)).toBe("info");
});
