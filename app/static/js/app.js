// Interview Coach — small enhancements; every page works without this file.
"use strict";

// Forms marked data-busy show a busy label and cannot be submitted twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]")) return;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    button.dataset.label = button.textContent;
    button.textContent = form.dataset.busy || "Working…";
  });
  var status = form.querySelector("[data-busy-status]");
  if (status) { status.hidden = false; }
});
