// services/manager: the manager daemon's core (lifecycle, ManagerLink server, registry, event
// hub). The Connect gateway plugs in as a ManagerExtension; the CLI calls runManager,
// stopManager and readManagerStatus. Proxies auto-start it through lib/manager-client.
export * from "./events/index.ts";
export * from "./lifecycle/index.ts";
export * from "./link/index.ts";
export * from "./registry/index.ts";
