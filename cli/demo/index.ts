// The demo behind `bun run demo` and `mcp-acp demo`.
export { DEFAULT_DEMO_HOME, resolveDemoHome } from "./demo-home.ts";
export { runDemo, PROXY_STDERR_FILE, type DemoOptions } from "./run-demo.ts";
export { DEMO_PROXY_NAME, setUpDemo, type DemoSetup } from "./setup.ts";
export { parseDecisionLine, DecisionFeed, type ProxyDecision } from "./decision-feed.ts";
