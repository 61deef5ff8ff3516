// Builds the dashboard into web/dist, which the manager serves same-origin. The dev server
// proxies the API to a running manager so the page never needs the token itself.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const devManager = process.env.MCP_ACP_DEV_MANAGER ?? "http://127.0.0.1:8765";

export default defineConfig({
  root: webRoot,
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  server: {
    proxy: { "/mcpacp.": { target: devManager, changeOrigin: false } },
  },
});
