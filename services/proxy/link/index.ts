// services/proxy/link: the proxy's side of the ManagerLink (auto-start, attach, snapshots, events,
// heartbeats, reconnect with backoff). Talks to the manager only through proto/ and lib/.
export { backoffDelay } from "./backoff.ts";
export {
  LINK_CLIENT_DEFAULTS,
  type LinkChange,
  type LinkTiming,
  type ManagerLinkHandle,
  type ManagerLinkOptions,
  type ProxyEventInit,
  type RegisterInit,
  type StateSnapshotInit,
} from "./link-options.ts";
export { startManagerLink } from "./manager-link.ts";
