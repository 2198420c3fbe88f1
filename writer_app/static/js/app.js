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

  // Disclosure buttons (the header menu on narrow screens, folded filters): aria-expanded on the button
  // opens the panel it controls; Escape closes it and gives the focus back to the button.
  function setExpanded(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (panel) { panel.classList.toggle("is-open", open); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-disclosure]");
    if (button) { setExpanded(button, button.getAttribute("aria-expanded") !== "true"); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var panel = event.target.closest && event.target.closest("[data-disclosure-panel].is-open");
    var button = panel && document.querySelector('[data-disclosure][aria-controls="' + panel.id + '"]');
    if (button) { setExpanded(button, false); button.focus(); }
  });

  // No double submits: a POST form's submit buttons are disabled while its request is in flight.
  // Disabled after the submit event (a disabled submitter would drop its name=value from the form
  // data), enabled again when the page comes back from the history cache or after a long wait.
  // The server refuses duplicate creates anyway (a one-time form token); this spares the round trip.
  var SUBMITS = 'button:not([type]), button[type="submit"], input[type="submit"]';
  function setBusy(form, busy) {
    form.querySelectorAll(SUBMITS).forEach(function (button) {
      if (busy) {
        if (!button.disabled) { button.disabled = true; button.setAttribute("data-busy", ""); }
      } else if (button.hasAttribute("data-busy")) {
        button.disabled = false; button.removeAttribute("data-busy");
      }
    });
    if (busy) { form.setAttribute("aria-busy", "true"); } else { form.removeAttribute("aria-busy"); }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") { return; }
    if (form.hasAttribute("hx-post") || form.hasAttribute("data-hx-post")) { return; }  // htmx below
    if (form.target && form.target !== "_self") { return; }
    window.setTimeout(function () { setBusy(form, true); }, 0);
    window.setTimeout(function () { setBusy(form, false); }, 15000);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[aria-busy]").forEach(function (form) { setBusy(form, false); });
  });
  // htmx requests that change something: the same, for the form (or the button's form) that sent it.
  function htmxForm(event) {
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (!verb || verb === "get") { return null; }
    var elt = event.detail.elt;
    return elt.tagName === "FORM" ? elt : elt.form || elt.closest("form");
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event);
    if (form) { setBusy(form, true); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = htmxForm(event);
    if (form) { setBusy(form, false); }
  });

  // A page rendered in answer to a POST-only URL names the page it belongs to: show that address, so a
  // reload or a copied link never lands on a URL that only takes POST.
  var pageUrl = document.querySelector('meta[name="writer-page-url"]');
  if (pageUrl && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", pageUrl.getAttribute("content"));
  }

  // A table wider than the screen scrolls in its own box (app.css): keyboard users reach that box
  // with Tab so they can scroll it with the arrow keys.
  function focusableScrollers() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);

  // List filters fold behind a "Filters" button on narrow screens (the CSS decides when it shows).
  document.querySelectorAll("form.filters, form.task-filters").forEach(function (form, index) {
    if (!form.id) { form.id = "filters-" + index; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "filters-toggle secondary outline";
    button.textContent = "Filters";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", form.id);
    button.setAttribute("data-disclosure", "");
    form.setAttribute("data-filters-panel", "");
    form.setAttribute("data-disclosure-panel", "");
    form.parentNode.insertBefore(button, form);
  });
})();
