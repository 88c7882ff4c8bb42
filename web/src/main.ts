import { mount } from "svelte";
import App from "./app.svelte";
import { loadConfig } from "./lib/config";
import "./app.css";

const target = document.getElementById("app")!;
loadConfig()
  .then((config) => mount(App, { target, props: { config, provider: window.ethereum } }))
  .catch((error: unknown) => {
    target.innerHTML = "";
    const p = document.createElement("p");
    p.className = "fatal";
    p.setAttribute("role", "alert");
    p.textContent = `Curia cannot start: ${error instanceof Error ? error.message : String(error)}`;
    target.append(p);
  });
