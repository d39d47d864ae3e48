// Map enhancement: name the council under the pointer or keyboard focus beside the map
// (an SVG <title> shows as a tooltip on hover only). The map works fully without this.
for (const map of document.querySelectorAll("[data-module='app-map']")) {
  const info = map.querySelector("[data-map-info]");
  if (!info) continue;
  const show = (event) => {
    const link = event.target.closest("a[data-urn], g[data-urn]");
    const title = link && link.querySelector("title");
    if (title) {
      info.textContent = title.textContent;
      info.hidden = false;
    }
  };
  map.addEventListener("mouseover", show);
  map.addEventListener("focusin", show);
}
