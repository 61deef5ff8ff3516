// The `--proxy NAME` option of the policy commands: required everywhere except `validate`.

export const PROXY_OPTION = {
  proxy: { type: "string", alias: "p", required: true, description: "The proxy whose policy.json to use", valueHint: "name" },
} as const;

export const OPTIONAL_PROXY_OPTION = {
  proxy: { type: "string", alias: "p", description: "Only this proxy (default: every proxy)", valueHint: "name" },
} as const;
