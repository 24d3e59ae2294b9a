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
  // Auto-submit a filter form when one of its selects changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
