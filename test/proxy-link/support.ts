// Set-up of the link client tests: a real manager (runManager in-process on a temp
// MCP_ACP_HOME, or the fixture process) and a startManagerLink client with short timers.
import { generateInstanceId } from "../../lib/config/index.ts";
import type { UiStatus } from "../../lib/gen/mcpacp/link/v1/link_pb.ts";
import { createMemoryManagerLog, runManager, type ManagerHandle, type RunManagerOptions } from "../../services/manager/index.ts";
import { createMemoryLogger } from "../../services/proxy/relay/log.ts";
import { startManagerLink, type LinkChange, type ManagerLinkHandle, type ManagerLinkOptions, type StateSnapshotInit } from "../../services/proxy/link/index.ts";
import { registration, until, type RegisterInit } from "../manager/helpers/fake-proxy.ts";
import { MANAGER_CLI, ManagerHome } from "../manager/helpers/manager-home.ts";

export { until, registration, MANAGER_CLI, ManagerHome };

/** Fast reconnects so restarts are seen within a test's patience (the real ones are 1 s → 10 s). */
export const FAST = { backoffInitialMs: 50, backoffMaxMs: 200, jitter: 0.2 } as const;

export async function startManager(m: ManagerHome, options: Partial<RunManagerOptions> = {}): Promise<ManagerHandle> {
  return runManager({ paths: m.paths, config: m.config, handleSignals: false, log: createMemoryManagerLog(), ...options });
}

export interface TestLink {
  handle: ManagerLinkHandle;
  register: RegisterInit;
  uiStatuses: UiStatus[];
  changes: LinkChange[];
  snapshotsTaken: number;
  logger: ReturnType<typeof createMemoryLogger>;
}

export function startTestLink(
  m: ManagerHome,
  name: string,
  overrides: Partial<ManagerLinkOptions> = {},
  snapshot: () => StateSnapshotInit = () => ({ clientId: "test-client", policyVersion: "v1" }),
): TestLink {
  const register = overrides.register ?? registration(name);
  const logger = createMemoryLogger();
  const link: TestLink = { handle: undefined as unknown as ManagerLinkHandle, register, uiStatuses: [], changes: [], snapshotsTaken: 0, logger };
  link.handle = startManagerLink({
    paths: m.paths,
    register,
    snapshot: () => {
      link.snapshotsTaken++;
      return snapshot();
    },
    onUiStatus: (status) => link.uiStatuses.push(status),
    onConnectionChange: (change) => link.changes.push(change),
    logger,
    headless: false,
    cliEntry: MANAGER_CLI,
    autoStart: false,
    timing: FAST,
    ...overrides,
  });
  return link;
}

/** A second run of the same proxy: same name and proxy_id, new instance_id. */
export function nextRun(register: RegisterInit): RegisterInit {
  return { ...register, instanceId: generateInstanceId(register.proxyId ?? "") };
}
