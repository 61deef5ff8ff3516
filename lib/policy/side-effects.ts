// Built-in map from tool name to side effects (spec §3.3). A tool's name is all we know about
// it, so an unlisted tool gets null ("unknown"), never an empty set.

import type { SideEffect } from "./model.ts";

const MAP_SOURCE: ReadonlyArray<readonly [string, readonly SideEffect[]]> = [
  ["bash shell", ["code_exec", "fs_read", "fs_write", "network_egress", "process_spawn"]],
  ["run_command", ["code_exec", "fs_read", "fs_write", "process_spawn"]],
  ["execute exec eval", ["code_exec"]],
  ["spawn fork", ["process_spawn"]],
  ["subprocess", ["process_spawn", "code_exec"]],
  ["sudo run_as_admin", ["sudo_elevate", "code_exec"]],
  ["elevate", ["sudo_elevate"]],
  [
    "read_file get_file cat head tail list_directory list_files ls find_files search_files glob",
    ["fs_read"],
  ],
  ["write_file create_file append_file delete_file remove_file mkdir rmdir rename_file", ["fs_write"]],
  ["edit_file update_file move_file copy_file", ["fs_read", "fs_write"]],
  ["fetch_url http_request http_get http_post curl wget", ["network_egress"]],
  ["download", ["network_egress", "fs_write"]],
  ["upload", ["network_egress", "fs_read"]],
  ["start_server listen bind_port", ["network_ingress"]],
  ["query_db query_database sql_query select", ["db_read"]],
  ["execute_sql", ["db_read", "db_write"]],
  ["insert update delete", ["db_write"]],
  ["get_secret read_secret get_credential", ["secrets_read"]],
  ["get_env read_env getenv environ", ["env_read"]],
  ["get_keychain read_keychain get_keyring", ["keychain_read"]],
  ["get_password", ["keychain_read", "secrets_read"]],
  ["get_clipboard read_clipboard pbpaste", ["clipboard_read"]],
  ["set_clipboard write_clipboard pbcopy copy_to_clipboard", ["clipboard_write"]],
  ["open_url open_browser browse webbrowser", ["browser_open"]],
  ["screenshot screen_capture record_screen", ["screen_capture"]],
  ["record_audio microphone", ["audio_capture"]],
  ["record_video camera webcam", ["camera_capture"]],
  ["aws gcloud azure s3 boto3", ["cloud_api", "network_egress"]],
  ["docker_exec kubectl_exec", ["container_exec", "code_exec"]],
  ["docker_run", ["container_exec", "code_exec", "process_spawn"]],
  ["send_email send_mail smtp_send", ["email_send", "network_egress"]],
];

const TOOL_SIDE_EFFECTS: ReadonlyMap<string, ReadonlySet<SideEffect>> = new Map(
  MAP_SOURCE.flatMap(([names, effects]) => {
    const set: ReadonlySet<SideEffect> = new Set(effects);
    return names.split(" ").map((name) => [name, set] as const);
  }),
);

/**
 * Tool name without a `server:` or `server__` namespace prefix, which some clients
 * and aggregating servers add (`fs__read_file`, `github:create_issue`).
 */
export function stripNamespacePrefix(toolName: string): string {
  let name = toolName;
  const colon = name.lastIndexOf(":");
  if (colon >= 0 && colon < name.length - 1) name = name.slice(colon + 1);
  const dunder = name.lastIndexOf("__");
  if (dunder >= 0 && dunder < name.length - 2) name = name.slice(dunder + 2);
  return name;
}

export function baseToolName(toolName: string): string {
  return stripNamespacePrefix(toolName).toLowerCase();
}

/** Side effects by exact (case-insensitive, prefix-stripped) name; null when unknown. */
export function lookupSideEffects(toolName: string): ReadonlySet<SideEffect> | null {
  return TOOL_SIDE_EFFECTS.get(baseToolName(toolName)) ?? null;
}
