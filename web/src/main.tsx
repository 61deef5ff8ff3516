import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { applyTheme } from "./state/theme.ts";
import "./styles/theme.css";
import "./styles/shell.css";
import "./styles/ui.css";
import "./styles/proxies.css";
import "./styles/proxy-detail.css";

applyTheme();
const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
render(() => <App />, root);
