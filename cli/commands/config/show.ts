// `mcp-acp config show`: the loaded configuration (defaults applied) of manager or one proxy.
import { defineCommand } from "citty";
import { appPaths } from "../../app-paths.ts";
import { printJson, printLine, stdoutStyle } from "../../ui/index.ts";
import { requiredTarget, TARGET_ARGS } from "./target.ts";
import { loadTarget, targetFile } from "./target-files.ts";

export const showCommand = defineCommand({
  meta: { name: "show", description: "Show the manager's or a proxy's configuration" },
  args: {
    ...TARGET_ARGS,
    json: { type: "boolean", description: "Print JSON (adds _computed.config_file)" },
  },
  run({ args }) {
    const paths = appPaths();
    const target = requiredTarget(args);
    const { label, file } = targetFile(paths, target);
    const config = loadTarget(paths, target);
    if (args.json === true) {
      printJson({ ...config, _computed: { config_file: file } });
      return;
    }
    printLine(stdoutStyle().bold(`${label} (${file}):`));
    printLine(JSON.stringify(config, null, 2));
  },
});
