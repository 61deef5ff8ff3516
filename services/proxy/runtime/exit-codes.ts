// Exit codes of `mcp-acp start` (design.md §8). An MCP client only sees the number, so each
// class of failure keeps its own.

export const ExitCode = {
  /** Normal end: the client closed the session, or SIGINT/SIGTERM. */
  Ok: 0,
  /** Usage or configuration error, backend unreachable or gone, second instance. */
  Error: 1,
  /** Audit log integrity or audit write failure (startup gate, fail-closed shutdown). */
  Audit: 10,
  /** Policy missing or invalid at startup. */
  Policy: 11,
  /** Identity provider unreachable. */
  IdentityUnreachable: 12,
  /** Not authenticated, or identity not usable. */
  NotAuthenticated: 13,
  /** Device posture failed (reserved). */
  DeviceHealth: 14,
  /** The session's identity changed mid-session (reserved). */
  SessionBinding: 15,
  /** manager.json present but invalid. */
  ManagerConfig: 16,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The ExitCode of a security shutdown's code; anything unknown is a plain error. */
export function exitCodeValue(code: number): ExitCodeValue {
  const known = Object.values(ExitCode) as number[];
  return (known.includes(code) ? code : ExitCode.Error) as ExitCodeValue;
}
