import type { ConnectRouter } from "@connectrpc/connect";
import type { ActivityListener } from "./activity.ts";
import { DEFAULT_GATEWAY_HOST } from "./constants.ts";
import { GatewayError, GatewayErrorCode } from "./errors.ts";

export interface GatewayOptions {
  /** Registers the API services; reflection for them is added by the gateway. */
  routes: (router: ConnectRouter) => void;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Loopback address to bind; default 127.0.0.1. Anything not loopback is refused. */
  host?: string;
  /** The token-less API socket (0600); a stale socket file is replaced, a live one is an error. */
  apiSocketPath: string;
  /** Built dashboard files; null or missing → a page that says how to build them (503). */
  staticDir?: string | null;
  /** Called for accepted calls and stream messages, except GetStatus and keepalives. */
  onActivity?: ActivityListener;
  /** Extra allowed origins (a dev server such as http://localhost:3000); only when passed. */
  devOrigins?: readonly string[];
  /** Command named on the "dashboard not built" page. */
  dashboardBuildCommand?: string;
}

export interface GatewayHandle {
  /** The bound TCP port. */
  readonly port: number;
  /** http://<host>:<port> */
  readonly url: string;
  /** Absolute path of the token-less API socket. */
  readonly apiSocketPath: string;
  /** This run's API token (64 hex). Give it to a browser only through a login code. */
  readonly token: string;
  /** A single-use code (about 60 s) for `<url>/?code=<code>`, which sets the token cookie. */
  issueLoginCode(): string;
  /** Stops both listeners, ends open streams, removes the socket file. Safe to call twice. */
  close(): Promise<void>;
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Checks the options that could expose the API; returns the host to bind. */
export function validateGatewayOptions(options: GatewayOptions): string {
  const host = options.host ?? DEFAULT_GATEWAY_HOST;
  if (!isLoopbackHost(host)) {
    throw new GatewayError(
      GatewayErrorCode.InvalidOption,
      `gateway host ${JSON.stringify(host)} is not a loopback address; the manager API binds to 127.0.0.1, ::1 or localhost only`,
    );
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new GatewayError(
      GatewayErrorCode.InvalidOption,
      `gateway port ${options.port} is not a port number; use 1024-65535 (or 0 for any free port)`,
    );
  }
  return host;
}
