// Unread incidents for the header badge: counts since the last visit of /incidents, kept in
// localStorage so every tab agrees. W2's incidents page calls markIncidentsSeen().
import { createRoot, createSignal } from "solid-js";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { api } from "../api/client.ts";
import { isAbort } from "../api/errors.ts";
import { PREF_KEYS, readTimePref, writePref } from "./prefs.ts";

const [lastSeen, setLastSeen] = createRoot(() => createSignal<Date | undefined>(readTimePref(PREF_KEYS.incidentsLastSeen)));
const [unread, setUnread] = createRoot(() => createSignal(0));

/** When the incidents page was last opened; undefined = never (everything is unread). */
export const incidentsLastSeen = lastSeen;
/** Incidents newer than the last visit, over all proxies. */
export const unreadIncidents = unread;

let inflight: AbortController | undefined;

export async function refreshUnreadIncidents(): Promise<void> {
  inflight?.abort();
  const ctrl = new AbortController();
  inflight = ctrl;
  try {
    const since = lastSeen();
    const res = await api.incidents.getIncidentSummary(since ? { since: timestampFromDate(since) } : {}, { signal: ctrl.signal });
    const s = res.summary;
    setUnread(s ? s.shutdownsCount + s.bootstrapCount + s.emergencyCount : 0);
  } catch (e) {
    if (!isAbort(e)) {
      // Keep the last count; the header must not flash errors for a background refresh.
    }
  } finally {
    if (inflight === ctrl) inflight = undefined;
  }
}

/** Marks every incident up to now as read (the incidents page calls this on open). */
export function markIncidentsSeen(at: Date = new Date()): void {
  writePref(PREF_KEYS.incidentsLastSeen, at.toISOString());
  setLastSeen(at);
  setUnread(0);
}

/** Another tab visited the incidents page. */
export function watchIncidentsStorage(): () => void {
  const onStorage = (e: StorageEvent): void => {
    if (e.key !== PREF_KEYS.incidentsLastSeen) return;
    setLastSeen(readTimePref(PREF_KEYS.incidentsLastSeen));
    void refreshUnreadIncidents();
  };
  window.addEventListener("storage", onStorage);
  return () => window.removeEventListener("storage", onStorage);
}
