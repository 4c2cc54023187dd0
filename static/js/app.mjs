import { initAll } from "../dist/govuk-frontend.min.js";
import { startIdleTimeout } from "./timeout.mjs";
import { startAutosave } from "./autosave.mjs";
import { startTagSelection } from "./review.mjs";

initAll();
startIdleTimeout(document.body);
startAutosave(document);
startTagSelection(document);
