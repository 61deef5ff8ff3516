// The request's log types → the chained files a VerifyAudit checks. The report mapping itself is
// shared with the manager (lib/audit/report-proto.ts).
import type { ProtectedLogName } from "../../../lib/audit/index.ts";
import { CHAINED_LOG_TYPES } from "../../../lib/audit/report-proto.ts";
import type { LogType } from "../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { RpcCode, RpcError } from "../../../lib/rpc/index.ts";

export { verifyReportMessage, type VerifiedProxy } from "../../../lib/audit/report-proto.ts";

/** The chained files a VerifyAudit request names (undefined = all six); wire logs are refused. */
export function chainedFilesOf(types: readonly LogType[]): ProtectedLogName[] | undefined {
  if (types.length === 0) return undefined;
  const names: ProtectedLogName[] = [];
  types.forEach((type, i) => {
    const name = (Object.keys(CHAINED_LOG_TYPES) as ProtectedLogName[]).find((n) => CHAINED_LOG_TYPES[n] === type);
    if (name === undefined) {
      throw new RpcError(
        RpcCode.INVALID_ARGUMENT,
        `log_types[${i}] must be one of the six chained logs (DECISIONS, OPERATIONS, AUTH, SYSTEM, CONFIG_HISTORY, POLICY_HISTORY); wire logs are not chained`,
      );
    }
    if (!names.includes(name)) names.push(name);
  });
  return names;
}
