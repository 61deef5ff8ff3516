import packageJson from "../package.json" with { type: "json" };

/** The package version, from package.json (single source of truth). */
export const VERSION: string = packageJson.version;
