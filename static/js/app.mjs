import { initAll } from "../dist/govuk/govuk-frontend.min.js";

initAll();

// A table container that scrolls sideways (a wide table on a narrow screen) must be reachable from the
// keyboard to scroll it (WCAG 2.1.1): while it overflows it is a focusable region named after the
// table's caption. Containers that fit stay out of the tab order.
function markScrollingTables() {
  for (const container of document.querySelectorAll(".app-table-container")) {
    if (container.scrollWidth > container.clientWidth) {
      const caption = container.querySelector("caption");
      container.setAttribute("tabindex", "0");
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    } else {
      container.removeAttribute("tabindex");
      container.removeAttribute("role");
      container.removeAttribute("aria-label");
    }
  }
}

markScrollingTables();
window.addEventListener("resize", markScrollingTables);
