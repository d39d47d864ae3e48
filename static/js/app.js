// Start GOV.UK Frontend's components; every page works without this.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// Printing shows every closed details element open (recommendations, chart data), then puts
// them back; browsers that support ::details-content do this from the print stylesheet alone.
const openedForPrint = [];
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
    openedForPrint.push(details);
  }
});
window.addEventListener("afterprint", () => {
  while (openedForPrint.length) openedForPrint.pop().open = false;
});
