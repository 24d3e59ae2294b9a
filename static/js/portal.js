// Small behaviours of the portal's pages, wired by data attributes so the templates need no inline script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // A "select all" checkbox ticks every box named in its data-check-all attribute.
  document.querySelectorAll("[data-check-all]").forEach((master) => {
    master.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${master.dataset.checkAll}"]:not(:disabled)`).forEach((box) => {
        box.checked = master.checked;
      });
    });
  });
  // "Record my position": the browser's geolocation into the form's hidden latitude/longitude (optional: a refusal
  // or no fix leaves them empty and says so).
  document.querySelectorAll("[data-locate]").forEach((button) => {
    const status = button.parentElement.querySelector("[data-locate-status]");
    button.addEventListener("click", () => {
      if (!navigator.geolocation) {
        status.textContent = button.dataset.failed;
        return;
      }
      navigator.geolocation.getCurrentPosition(
        (position) => {
          button.form.elements.latitude.value = position.coords.latitude.toFixed(6);
          button.form.elements.longitude.value = position.coords.longitude.toFixed(6);
          status.textContent = `${button.dataset.done} (${position.coords.latitude.toFixed(5)}, ${position.coords.longitude.toFixed(5)})`;
        },
        () => { status.textContent = button.dataset.failed; },
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  });
  // 大字: the switch's form sent in the background and the page's text resized in place. Should that fail, the form
  // goes the ordinary way (it posts and comes back to this page), as it does without script.
  document.querySelectorAll("form[data-text-size]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const response = await fetch(form.action, {
          method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin",
        });
        if (!response.ok) throw new Error(`${response.status}`);
        const large = (await response.json()).large_text;
        document.documentElement.classList.toggle("text-large", large);
        form.elements.large.value = large ? "0" : "1";
        form.querySelector("[aria-pressed]").setAttribute("aria-pressed", String(large));
      } catch (error) {
        form.submit();
      }
    });
  });
  // Auto-submit a filter form when one of its selects changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  keyboardScrollableBoxes();
  window.addEventListener("resize", keyboardScrollableBoxes);
});

// A table wider than the screen scrolls sideways inside its box (a long text inside a .scroll-box, downwards).
// Keyboard users scroll it with the arrow keys only once something in the box has focus (WCAG 2.1.1), so a box that
// overflows and holds no link, button or field becomes a tab stop itself; it stops being one when it fits again.
const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

function keyboardScrollableBoxes() {
  document.querySelectorAll(".table-responsive, .scroll-box").forEach((box) => {
    const overflows = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
    const unreachable = overflows && !box.querySelector(FOCUSABLE);
    if (unreachable && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.dataset.scrollStop = "";
    } else if (!unreachable && "scrollStop" in box.dataset) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollStop;
    }
  });
}
