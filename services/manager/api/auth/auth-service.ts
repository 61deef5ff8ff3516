// AuthService, as far as this version has identity: GetAuthStatus only. Local identity (the
// default) needs no login: the user is the OS account the manager runs as. OIDC may be configured
// in manager.json, but this version has no device-flow login, token store or refresh, so the
// status says so plainly and StartLogin, Logout, ReloadAuth and ClearAuth are left out: the
// router answers them UNIMPLEMENTED rather than pretending.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { ConfigError, loadManagerConfig, type ManagerConfig } from "../../../../lib/config/index.ts";
import { AuthState, type AuthService, type GetAuthStatusResponseSchema, SecretStorageBackend } from "../../../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { IdentityMode } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { fileConfigError, guarded } from "../common/errors.ts";
import type { ManagerApiDeps } from "../deps.ts";

type AuthStatus = MessageInitShape<typeof GetAuthStatusResponseSchema>;

function managerConfig(deps: ManagerApiDeps): ManagerConfig {
  try {
    return loadManagerConfig(deps.paths);
  } catch (error) {
    if (error instanceof ConfigError) throw fileConfigError(error);
    throw error;
  }
}

/** The status for the identity mode in manager.json. */
export function authStatus(deps: ManagerApiDeps): AuthStatus {
  const config = managerConfig(deps);
  // Nothing is stored in either mode: no secret store backend is in use.
  const none = { storageBackend: SecretStorageBackend.UNSPECIFIED, storageLocation: "", hasRefreshToken: false, loginSupported: false };
  if (config.auth.mode === "oidc") {
    const oidc = config.auth.oidc;
    return {
      ...none,
      identityMode: IdentityMode.OIDC,
      state: AuthState.NOT_AUTHENTICATED,
      authenticated: false,
      subjectId: "",
      oidc: { issuer: oidc.issuer, clientId: oidc.client_id, audience: oidc.audience, scopes: [...oidc.scopes] },
      message: `OIDC (issuer ${oidc.issuer}) is configured in manager.json, but this version of mcp-acp cannot log in with OIDC. Set auth.mode to "local" with 'mcp-acp config edit --manager' to use local identity.`,
    };
  }
  // The manager's approver is the OS account in local mode; none means this manager was started
  // with another mode than manager.json now says.
  const approver = deps.approver();
  if (approver === null) {
    return {
      ...none,
      identityMode: IdentityMode.LOCAL,
      state: AuthState.NOT_AUTHENTICATED,
      authenticated: false,
      subjectId: "",
      message: "manager.json says local identity, but this manager was started with another identity mode. Restart the manager ('mcp-acp manager stop', then open the dashboard again).",
    };
  }
  return {
    ...none,
    identityMode: IdentityMode.LOCAL,
    // AuthState describes stored OIDC credentials; local identity has none to store.
    state: AuthState.NOT_CONFIGURED,
    authenticated: true,
    subjectId: approver.subjectId,
    name: approver.displayName,
    message: `Local identity: you are the OS user '${approver.subjectId}'. No login is needed; OIDC login is not available in this version.`,
  };
}

export function authServiceImpl(deps: ManagerApiDeps): Partial<ServiceImpl<typeof AuthService>> {
  return {
    getAuthStatus: guarded("reading the identity status", () => authStatus(deps)),
  };
}
