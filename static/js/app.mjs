import { initAll } from "../dist/govuk-frontend.min.js";
import { startIdleTimeout } from "./timeout.mjs";

initAll();
startIdleTimeout(document.body);
