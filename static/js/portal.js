/* Announce what a page load means to a screen-reader and keyboard user:
   - a refused form: focus its error summary (role=alert) instead of the top of the page or an
     autofocused field, and let each summary link move focus into its field;
   - a confirmation after a redirect: focus the message so it is read out. */
(function () {
  "use strict";

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) { return false; }
    var label = document.querySelector('label[for="' + id + '"]');
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    return true;
  }

  function onSummaryClick(event) {
    var link = event.target.closest("a[data-field-id]");
    if (link && focusField(link.getAttribute("data-field-id"))) {
      event.preventDefault();
    }
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      document.querySelectorAll("[autofocus]").forEach(function (element) {
        element.removeAttribute("autofocus");
      });
      summary.addEventListener("click", onSummaryClick);
      summary.focus();
      return;
    }
    var message = document.querySelector("[data-page-message]");
    if (message) {
      message.focus();
    }
  }

  // Print buttons (the Content-Security-Policy allows no inline onclick).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print-page]")) {
      window.print();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
