// Authentication details (spec §8, local identity only in this version): who the manager acts for
// and where secrets live. No login or logout controls: there is nothing to log into.
import { createEffect, createSignal, type JSX, on, Show } from "solid-js";
import type { GetAuthStatusResponse } from "../../../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { AuthState, SecretStorageBackend } from "../../../../lib/gen/mcpacp/api/v1/auth_service_pb.ts";
import { IdentityMode } from "../../../../lib/gen/mcpacp/common/v1/proxy_pb.ts";
import { api } from "../../api/client.ts";
import { describeError } from "../../api/errors.ts";
import { feed } from "../../state/feed.ts";
import { IconButton, IconRefresh, StatusDot } from "../../ui/index.ts";
import "../../styles/pages-misc.css";

function storageText(backend: SecretStorageBackend, location: string): string {
  switch (backend) {
    case SecretStorageBackend.PLATFORM:
      return "Platform secret store (Keychain / Secret Service / Credential Manager)";
    case SecretStorageBackend.ENCRYPTED_FILE:
      return `Encrypted file${location ? ` (${location})` : ""}`;
    default:
      return "Not in use";
  }
}

function stateText(s: GetAuthStatusResponse): string {
  if (s.identityMode === IdentityMode.LOCAL) return "Authenticated (local identity)";
  switch (s.state) {
    case AuthState.AUTHENTICATED:
      return "Authenticated";
    case AuthState.TOKEN_EXPIRED:
      return "Not authenticated (token expired)";
    case AuthState.TOKEN_CORRUPTED:
      return "Not authenticated (stored token unreadable)";
    case AuthState.NOT_CONFIGURED:
      return "OIDC not configured";
    default:
      return "Not authenticated";
  }
}

export function AuthPage(): JSX.Element {
  const [status, setStatus] = createSignal<GetAuthStatusResponse | undefined>(undefined);
  const [error, setError] = createSignal("");
  const [loading, setLoading] = createSignal(false);

  const load = async (): Promise<void> => {
    setLoading(true);
    try {
      setStatus(await api.auth.getAuthStatus({}));
      setError("");
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setLoading(false);
    }
  };
  createEffect(on(() => feed.authVersion(), () => void load()));

  return (
    <main class="page auth-page">
      <div class="page-head">
        <h1>Authentication</h1>
        <IconButton label="Refresh authentication status" onClick={() => void load()} disabled={loading()}>
          <IconRefresh />
        </IconButton>
      </div>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">Could not read the authentication status: {error()}</p>
      </Show>
      <Show when={status()} fallback={<Show when={!error()}><p class="muted" role="status">Loading…</p></Show>}>
        {(s) => (
          <section class="panel" aria-labelledby="auth-status-title">
            <h2 id="auth-status-title" class="panel-title">Status</h2>
            <p>
              <StatusDot tone={s().authenticated ? "success" : "danger"} label={stateText(s())} />
            </p>
            <dl class="kv">
              <dt>Identity mode</dt>
              <dd>{s().identityMode === IdentityMode.LOCAL ? "Local (the operating-system user)" : "OIDC"}</dd>
              <dt>User</dt>
              <dd><code>{s().subjectId || "–"}</code></dd>
              <Show when={s().email || s().name}>
                <dt>Name</dt>
                <dd>{s().email || s().name}</dd>
              </Show>
              <dt>Secret storage</dt>
              <dd>{storageText(s().storageBackend, s().storageLocation)}</dd>
            </dl>
            <p class="muted auth-note">
              This version uses local identity only: requests run for the OS user shown above, and the dashboard is
              authorised by the manager's session cookie. OIDC login is not available in this version.
            </p>
          </section>
        )}
      </Show>
    </main>
  );
}
