// Start GOV.UK Frontend's components; every page works without this.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
