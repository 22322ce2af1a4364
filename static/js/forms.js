/* Acus: start a refused form at its error summary; and let a second tap on a submit button,
   while the first is on its way, do nothing. The server is safe without this (idempotency
   keys, version checks); it only saves a round trip. */
(function () {
  "use strict";
  // After a refused form, start at the list of problems: its links lead to each field.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.sent === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "yes";
    form.setAttribute("aria-busy", "true");
    // A page restored from the back-forward cache can be sent again.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sent;
      form.removeAttribute("aria-busy");
    }, { once: true });
  });
})();
