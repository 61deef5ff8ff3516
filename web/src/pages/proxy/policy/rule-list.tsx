// Visual editor: summary, effect filter, rule rows (one open at a time) with hit counts.
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Rule, RuleHits } from "../../../../../lib/gen/mcpacp/common/v1/policy_pb.ts";
import { useNow } from "../../../state/clock.ts";
import { Badge, Button, IconButton, IconPlus, IconTrash } from "../../../ui/index.ts";
import { IconEdit } from "../../../ui/icon-edit.tsx";
import { hitsView } from "./rule-hits.ts";
import { cachingText, conditionLines, type EffectFilter, effectName, filterRules, ruleTitle, summaryLine } from "./rule-form.ts";

export interface HitsInfo {
  byRule: Map<string, RuleHits>;
  truncated: boolean;
  since: Timestamp | undefined;
}

const EFFECT_TONE = { allow: "success", deny: "danger", hitl: "warning", "": "neutral" } as const;
const FILTERS: readonly { key: EffectFilter; label: string }[] = [
  { key: "all", label: "All" },
  { key: "allow", label: "Allow" },
  { key: "deny", label: "Deny" },
  { key: "hitl", label: "HITL" },
];

function RuleRow(props: {
  rule: Rule;
  open: boolean;
  onToggle: () => void;
  onEdit: () => void;
  onDelete: () => void;
  busy: boolean;
  hits: HitsInfo | undefined;
}): JSX.Element {
  const now = useNow();
  const effect = () => effectName(props.rule.effect);
  const lines = () => conditionLines(props.rule.conditions);
  const hits = () => (props.hits === undefined ? undefined : hitsView(props.hits.byRule.get(props.rule.id), { now: now(), truncated: props.hits.truncated, since: props.hits.since }));
  const bodyId = `rule-body-${props.rule.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <li class="rule-row" classList={{ "rule-open": props.open }} data-testid="rule-row" data-rule-id={props.rule.id}>
      <div class="rule-head">
        <button type="button" class="rule-toggle" aria-expanded={props.open} aria-controls={bodyId} onClick={() => props.onToggle()}>
          <span aria-hidden="true" class="rule-chevron">{props.open ? "▾" : "▸"}</span>
          <Badge tone={EFFECT_TONE[effect()]}>{effect() || "?"}</Badge>
          <span class="rule-title">{ruleTitle(props.rule)}</span>
          <Show when={props.rule.description.trim() !== "" && props.rule.id !== ""}><code class="rule-id muted">{props.rule.id}</code></Show>
          <Show when={!props.open}><span class="muted rule-count">{lines().length} condition{lines().length === 1 ? "" : "s"}</span></Show>
        </button>
        <Show when={hits()}>
          {(h) => (
            <span class="rule-hits" data-testid="rule-hits" title={h().lastHit || "no hits in the counted period"}>
              {h().counts}
              <Show when={h().lastHit}><span class="muted"> · {h().lastHit}</span></Show>
            </span>
          )}
        </Show>
        <div class="rule-actions">
          <IconButton label={`Edit rule ${ruleTitle(props.rule)}`} onClick={() => props.onEdit()} disabled={props.busy}><IconEdit /></IconButton>
          <IconButton label={`Delete rule ${ruleTitle(props.rule)}`} onClick={() => props.onDelete()} disabled={props.busy || props.rule.id === ""}><IconTrash /></IconButton>
        </div>
      </div>
      <Show when={hits()?.neverMatched}>
        <p class="rule-warning" data-testid="rule-never-matched" role="note"><span aria-hidden="true">⚠ </span>{hits()?.warning}</p>
      </Show>
      <Show when={props.open}>
        <div id={bodyId} class="rule-body">
          <Show when={lines().length > 0} fallback={<p class="muted">No conditions (matches all requests)</p>}>
            <ul class="rule-conditions">
              <For each={lines()}>{(line) => <li><code>{line}</code></li>}</For>
            </ul>
          </Show>
          <Show when={cachingText(props.rule)}><p class="muted">{cachingText(props.rule)}</p></Show>
        </div>
      </Show>
    </li>
  );
}

export function RuleList(props: {
  rules: readonly Rule[];
  version: string;
  hits: HitsInfo | undefined;
  builtIns: string;
  busy: boolean;
  onAdd: () => void;
  onEdit: (rule: Rule) => void;
  onDelete: (rule: Rule) => void;
}): JSX.Element {
  const [filter, setFilter] = createSignal<EffectFilter>("all");
  const [openId, setOpenId] = createSignal<string | undefined>(undefined);
  const shown = createMemo(() => filterRules(props.rules, filter()));
  const keyOf = (rule: Rule, i: number): string => rule.id || `#${i}`;

  return (
    <div class="rule-list-panel">
      <div class="rule-list-head">
        <p class="policy-summary">{summaryLine(props.version, props.rules.length)}</p>
        <Button variant="primary" size="sm" data-testid="add-rule" onClick={() => props.onAdd()}><IconPlus /> Add Rule</Button>
      </div>
      <Show when={props.rules.length > 1}>
        <div class="chips" role="group" aria-label="Filter rules by effect">
          <For each={FILTERS}>
            {(f) => (
              <button type="button" class="chip" aria-pressed={filter() === f.key} onClick={() => setFilter(f.key)}>
                {f.label} <span class="muted">({filterRules(props.rules, f.key).length})</span>
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={props.rules.length > 0} fallback={<p class="empty-state">No rules defined — all requests use the default action (deny).</p>}>
        <Show when={shown().length > 0} fallback={<p class="empty-state">No {filter()} rules</p>}>
          <ul class="rule-list">
            <For each={shown()}>
              {(rule, i) => (
                <RuleRow
                  rule={rule}
                  open={openId() === keyOf(rule, i())}
                  onToggle={() => setOpenId(openId() === keyOf(rule, i()) ? undefined : keyOf(rule, i()))}
                  onEdit={() => props.onEdit(rule)}
                  onDelete={() => props.onDelete(rule)}
                  busy={props.busy}
                  hits={props.hits}
                />
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <Show when={props.builtIns}><p class="muted built-ins">{props.builtIns}</p></Show>
    </div>
  );
}
