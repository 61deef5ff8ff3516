// The `--manager | --proxy NAME` selector shared by the config commands.
import { usageError } from "../../errors.ts";

export const TARGET_ARGS = {
  manager: { type: "boolean", alias: "m", description: "The shared manager.json" },
  proxy: { type: "string", alias: "p", description: "A proxy's config.json", valueHint: "name" },
} as const;

export type ConfigTarget = { kind: "manager" } | { kind: "proxy"; name: string };

interface TargetArgs {
  manager?: boolean | undefined;
  proxy?: string | undefined;
}

/** undefined when neither selector is given; both at once is a usage error. */
export function optionalTarget(args: TargetArgs): ConfigTarget | undefined {
  const manager = args.manager === true;
  if (manager && args.proxy !== undefined) throw usageError("Use either --manager or --proxy, not both.");
  if (manager) return { kind: "manager" };
  if (args.proxy !== undefined) return { kind: "proxy", name: args.proxy };
  return undefined;
}

export function requiredTarget(args: TargetArgs): ConfigTarget {
  const target = optionalTarget(args);
  if (target === undefined) throw usageError("Choose a configuration: --manager or --proxy <name>.");
  return target;
}
