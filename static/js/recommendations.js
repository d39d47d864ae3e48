// Recommendations list: "Add another" adds a row here instead of reloading the page, and each row
// gets a "Remove" button. Without JavaScript the same button asks the server for a new row and an
// emptied box is dropped on save, so this only saves a round trip.
const list = document.querySelector("[data-app-recommendations]");
const template = document.getElementById("recommendation-template");
const addButton = document.querySelector("[data-app-add-recommendation]");
const total = document.querySelector('input[name="recommendations-TOTAL_FORMS"]');

function renumber() {
  list.querySelectorAll("[data-app-recommendation]").forEach((row, index) => {
    const number = String(index + 1);
    row.querySelectorAll("label, legend").forEach((label) => {
      label.textContent = label.textContent.replace(/^Recommendation (\d+|__number__)/, `Recommendation ${number}`);
    });
    const remove = row.querySelector(".app-rec-entry__remove");
    if (remove) remove.querySelector("span").textContent = ` recommendation ${number}`;
  });
}

function addRemoveButton(row) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary app-rec-entry__remove";
  button.innerHTML = 'Remove<span class="govuk-visually-hidden"></span>';
  button.addEventListener("click", () => {
    const text = row.querySelector("textarea");
    // Emptied rows are dropped on save; hiding keeps the form's numbering of fields intact.
    if (text) text.value = "";
    row.hidden = true;
    row.removeAttribute("data-app-recommendation");
    renumber();
    addButton.focus();
  });
  row.appendChild(button);
}

if (list && template && addButton && total) {
  list.querySelectorAll("[data-app-recommendation]").forEach(addRemoveButton);
  addButton.addEventListener("click", (event) => {
    event.preventDefault();
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    list.appendChild(row);
    total.value = String(index + 1);
    addRemoveButton(row);
    renumber();
    const text = row.querySelector("textarea");
    if (text) text.focus();
  });
  renumber();
}
