// Form controls declared with data- attributes, so that templates carry no inline event
// handlers (the Content-Security-Policy refuses them). Delegated from the document, so
// they also work in fragments that htmx swaps in.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control.matches("[data-toggle-custom-range]")) {
      var custom = control.value === "custom";
      document.getElementById(control.dataset.toggleCustomRange).hidden = !custom;
      if (!custom) control.form.requestSubmit();
    } else if (control.matches("[data-autosubmit]")) {
      control.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy-from]");
    if (copy) {
      navigator.clipboard.writeText(document.getElementById(copy.dataset.copyFrom).value);
      return;
    }
    // A suggested slot fills the meeting's start field.
    var slot = event.target.closest("[data-fill-target][data-starts]");
    if (slot) {
      var field = document.getElementById(slot.dataset.fillTarget);
      // A suggested rotation also fills the series' other times.
      var alternates = document.getElementById("id_alternate_times");
      if (slot.dataset.rotation !== undefined && alternates) {
        alternates.value = slot.dataset.rotation;
      }
      field.value = slot.dataset.starts;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // A panel loaded into a page (hx-trigger="load") says so when it cannot be loaded,
  // instead of showing its placeholder for ever.
  document.addEventListener("htmx:responseError", function (event) {
    var panel = event.target.closest("[data-load-error]");
    if (panel) {
      panel.textContent = panel.dataset.loadError;
      panel.classList.add("p-3", "bg-body", "rounded-3", "shadow-sm", "text-body-secondary");
    }
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
