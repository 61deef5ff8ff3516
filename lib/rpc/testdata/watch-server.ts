// Child-process fixture: hosts ProxyControl on the socket given as argv[2] and streams
// WatchApprovals updates until cancelled. Prints "ready" once it listens, so the parent can
// kill it mid-stream and observe what a client sees when a server dies.
import { ProxyControl } from "../../gen/mcpacp/control/v1/control_pb.ts";
import { startGrpcServer } from "../index.ts";
import { withUnimplemented } from "./unimplemented.ts";

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: bun watch-server.ts <socket path>\n");
  process.exit(2);
}

await startGrpcServer({
  socketPath,
  services: [
    {
      service: ProxyControl,
      impl: withUnimplemented(ProxyControl, {
        async getInfo() {
          return { info: { proxyName: "child", pid: process.pid } };
        },
        async *watchApprovals(_request, ctx) {
          yield { update: { case: "current", value: { approvals: [] } } };
          for (let n = 1; !ctx.signal.aborted; n++) {
            await Bun.sleep(20);
            yield { update: { case: "created", value: { id: String(n) } } };
          }
        },
      }),
    },
  ],
});
process.stdout.write("ready\n");
