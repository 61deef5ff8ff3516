// AuthService over the real gateway socket: GetAuthStatus for local identity and for an OIDC
// manager.json this version cannot log in with; the other methods answer UNIMPLEMENTED.
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { defaultManagerConfig, writeManagerConfig } from "../../lib/config/index.ts";
import { AuthService, AuthState, SecretStorageBackend } from "../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { IdentityMode } from "../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { failure, type ApiHarness, startApiHarness } from "./support.ts";

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterEach(() => {
  writeManagerConfig(h.paths, defaultManagerConfig(h.paths, { MCP_ACP_HOME: h.dir }));
  h.approver = { subjectId: "alice", displayName: "Alice" };
});
afterAll(async () => {
  await h.close();
});

const auth = () => h.client(AuthService);

describe("GetAuthStatus", () => {
  test("local identity: authenticated as the manager's OS user, nothing stored, no login", async () => {
    const status = await auth().getAuthStatus({});
    expect(status.identityMode).toBe(IdentityMode.LOCAL);
    expect(status.authenticated).toBe(true);
    expect(status.state).toBe(AuthState.NOT_CONFIGURED);
    expect(status.subjectId).toBe("alice");
    expect(status.oidc).toBeUndefined();
    expect(status.storageBackend).toBe(SecretStorageBackend.UNSPECIFIED);
    expect(status.hasRefreshToken).toBe(false);
    expect(status.loginSupported).toBe(false);
    expect(status.message).toContain("OS user 'alice'");
  });

  test("OIDC in manager.json: reported as configured but not logged in, since this version cannot log in", async () => {
    writeManagerConfig(h.paths, {
      ...defaultManagerConfig(h.paths, { MCP_ACP_HOME: h.dir }),
      auth: { mode: "oidc", oidc: { issuer: "https://idp.example.com", client_id: "mcp-acp", audience: "mcp", scopes: ["openid", "email"] } },
    });
    const status = await auth().getAuthStatus({});
    expect(status.identityMode).toBe(IdentityMode.OIDC);
    expect(status.authenticated).toBe(false);
    expect(status.state).toBe(AuthState.NOT_AUTHENTICATED);
    expect(status.subjectId).toBe("");
    expect(status.oidc).toMatchObject({ issuer: "https://idp.example.com", clientId: "mcp-acp", audience: "mcp", scopes: ["openid", "email"] });
    expect(status.loginSupported).toBe(false);
    expect(status.message).toContain("cannot log in with OIDC");
  });

  test("local in manager.json but no approver in this manager run: not authenticated, told to restart", async () => {
    h.approver = null;
    const status = await auth().getAuthStatus({});
    expect(status.identityMode).toBe(IdentityMode.LOCAL);
    expect(status.authenticated).toBe(false);
    expect(status.message).toContain("Restart the manager");
  });
});

describe("methods this version does not have", () => {
  test("StartLogin, Logout, ReloadAuth and ClearAuth answer UNIMPLEMENTED", async () => {
    for (const call of [auth().startLogin({}), auth().logout({}), auth().reloadAuth({}), auth().clearAuth({})]) {
      expect((await failure(call)).code).toBe(Code.Unimplemented);
    }
  });
});
