// Who the CLI resolves approvals as: the OS account running it, looked up the same way the proxy
// names its local subject (`id -un`), so a user can approve exactly their own requests.
import { create } from "@bufbuild/protobuf";
import { ApprovalChannel, type Approver, ApproverSchema } from "../../../lib/gen/mcpacp/common/v1/approval_pb.ts";
import { osUsername } from "../../../services/proxy/runtime/os-user.ts";

let subject: string | undefined;

/** The OS account name of this process (looked up once). */
export function cliSubject(): string {
  subject ??= osUsername();
  return subject;
}

/** The approver a CLI command resolves as; `client` names the command for the proxy's audit log. */
export function cliApprover(client: string): Approver {
  const id = cliSubject();
  return create(ApproverSchema, { subjectId: id, displayName: id, channel: ApprovalChannel.CLI, client: `${client} (pid ${process.pid})` });
}
