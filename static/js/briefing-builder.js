// Briefing builder enhancement: show only the chosen scope's fields (England, a region or a
// council). Without JavaScript every field shows and the server reads only the chosen scope's.
// Not GOV.UK's conditional reveal: that puts aria-expanded on the radios, which axe refuses.
for (const form of document.querySelectorAll("[data-module='app-briefing-builder']")) {
  const radios = [...form.querySelectorAll("input[name='scope'][data-panel]")];
  const update = () => {
    for (const radio of radios) {
      const panel = document.getElementById(radio.dataset.panel);
      if (panel) panel.hidden = !radio.checked;
    }
  };
  for (const radio of radios) radio.addEventListener("change", update);
  update();
}
