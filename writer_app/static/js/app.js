// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Selects marked data-autosubmit submit their form on change (site/sector and account switchers).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });

  // Buttons with data-confirm ask before submitting (bulk delete, unpublish, ...).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // After a form error, the focus goes to the first wrong field (or to the error summary), not to
  // whatever had autofocus: keyboard and screen-reader users land where the fix is needed.
  function focusFirstError(root) {
    var field = root.querySelector('[aria-invalid="true"]');
    if (field && field.hidden && field.id) {
      // A textarea under the rich editor: focus the editor itself.
      field = field.parentElement.querySelector(".ql-editor") || field;
    }
    var target = field || root.querySelector("[data-error-summary]");
    if (!target) { return; }
    if (!field) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    target.scrollIntoView({ block: "center" });
  }
  // Error-summary links focus their field (the hidden body textarea: its editor).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field && field.hidden) { field = field.parentElement.querySelector(".ql-editor") || field; }
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
  // Local times: <time data-local-time> shows the reader's clock ("14:02"), with the date when not today.
  function localTimes(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date)) { return; }
      var time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      el.textContent = date.toDateString() === new Date().toDateString() ? time : date.toLocaleDateString() + " " + time;
    });
  }
  window.addEventListener("load", function () {
    localTimes(document);
    focusFirstError(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes(event.target);
    if (event.target.querySelector) { focusFirstError(event.target); }
  });
})();
