// Loaded as a module, so it runs only where ES modules work: the same test
// GOV.UK Frontend uses to decide whether its components are supported.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
