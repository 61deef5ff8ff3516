// lib/audit's verification and repair results → the AuditVerifyReport / AuditRepairReport messages.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LogDirReport, ProtectedLogName } from "../../../../lib/audit/index.ts";
import type { LogBackup } from "../../../../lib/audit/query/index.ts";
import type { AuditVerifyReportSchema } from "../../../../lib/gen/mcpacp/common/v1/audit_pb.ts";
import type { LogType } from "../../../../lib/gen/mcpacp/common/v1/log_pb.ts";
import { verifyReportMessage as sharedVerifyReportMessage } from "../../../../lib/audit/report-proto.ts";
import { logTypeName } from "../logs/log-proto.ts";


export interface ProxyIdentity {
  name: string;
  id: string;
}

/** The six chained log types as lib names; empty = all (undefined). UNSPECIFIED or wire logs are refused by the caller. */
export function chainedNames(types: readonly LogType[]): { names: ProtectedLogName[] | undefined; invalid: number[] } {
  if (types.length === 0) return { names: undefined, invalid: [] };
  const names: ProtectedLogName[] = [];
  const invalid: number[] = [];
  types.forEach((type, i) => {
    const name = logTypeName(type);
    if (name === undefined || name === "client_wire" || name === "backend_wire") invalid.push(i);
    else if (!names.includes(name)) names.push(name);
  });
  return { names, invalid };
}

/** The shared report mapping (lib/audit/report-proto.ts), for a check the manager ran itself. */
export function verifyReportMessage(
  proxy: ProxyIdentity,
  report: LogDirReport,
  backups: ReadonlyMap<string, LogBackup[]>,
  verifiedAt: Date,
): MessageInitShape<typeof AuditVerifyReportSchema> {
  return sharedVerifyReportMessage({ name: proxy.name, proxyId: proxy.id, byProxy: false }, report, backups, verifiedAt);
}

