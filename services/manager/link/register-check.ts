// Validation of a proxy's `register` frame: the registry key and everything later used to reach
// the proxy must be well-formed before the manager trusts it.
import { isAbsolute } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { PROXY_ID_PATTERN, proxyNameProblem } from "../../../lib/config/index.ts";
import type { FieldViolationSchema } from "../../../lib/gen/mcpacp/common/v1/error_pb.ts";
import type { Register } from "../../../lib/gen/mcpacp/link/v1/link_pb.ts";
import type { ProxyRegistration } from "../registry/index.ts";

export type RegisterViolation = MessageInitShape<typeof FieldViolationSchema>;

/** `<8 hex of the proxy_id>_<8 random hex>`, as lib/config generateInstanceId makes it. */
const INSTANCE_ID_PATTERN = /^([a-f0-9]{8})_[a-f0-9]{8}$/;
const MAX_VERSION_LENGTH = 64;
const MAX_SOCKET_PATH_LENGTH = 1024;

export type RegisterCheck =
  | { ok: true; registration: ProxyRegistration }
  | { ok: false; violations: RegisterViolation[] };

function instanceIdProblem(instanceId: string, proxyId: string): string | undefined {
  const match = INSTANCE_ID_PATTERN.exec(instanceId);
  if (match === null) return "must be <8 hex of the proxy_id>_<8 hex>, new for every run";
  const idHex = /^px_([a-f0-9]{8}):/.exec(proxyId)?.[1];
  if (idHex !== undefined && match[1] !== idHex) return `must start with the proxy_id's hex '${idHex}'`;
  return undefined;
}

export function checkRegister(frame: Register): RegisterCheck {
  const violations: RegisterViolation[] = [];
  const add = (field: string, description: string, reason = "INVALID") => violations.push({ field, description, reason });

  const nameProblem = proxyNameProblem(frame.proxyName);
  if (nameProblem !== undefined) add("register.proxy_name", `'${frame.proxyName}' ${nameProblem}`, frame.proxyName === "" ? "REQUIRED" : "INVALID");
  if (!PROXY_ID_PATTERN.test(frame.proxyId)) {
    add("register.proxy_id", "must look like px_<8 lower-case hex>:<lower-case name>", frame.proxyId === "" ? "REQUIRED" : "INVALID");
  }
  const instanceProblem = instanceIdProblem(frame.instanceId, frame.proxyId);
  if (instanceProblem !== undefined) add("register.instance_id", instanceProblem, frame.instanceId === "" ? "REQUIRED" : "INVALID");
  if (frame.pid <= 0) add("register.pid", "must be the proxy's process id (> 0)", "REQUIRED");
  if (frame.controlSocket === "" || !isAbsolute(frame.controlSocket) || frame.controlSocket.length > MAX_SOCKET_PATH_LENGTH) {
    add("register.control_socket", "must be the absolute path of the proxy's control socket", frame.controlSocket === "" ? "REQUIRED" : "INVALID");
  }
  if (frame.version.length > MAX_VERSION_LENGTH) add("register.version", `must be at most ${MAX_VERSION_LENGTH} characters`, "OUT_OF_RANGE");

  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    registration: {
      proxyName: frame.proxyName,
      proxyId: frame.proxyId,
      instanceId: frame.instanceId,
      pid: frame.pid,
      controlSocket: frame.controlSocket,
      version: frame.version,
      configSummary: frame.configSummary,
      startedAt: frame.startedAt,
    },
  };
}
