// Tasks and clusters pages: small enhancements; every page works without this file.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Drop empty filter values so the URL in the address bar stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || form.id !== "task-filters" && form.id !== "cluster-filters") return;
    var data = event.detail.formData;
    if (!data) return;
    // Values equal to a field's default (data-default) are left out too: the server assumes them.
    var defaults = {};
    form.querySelectorAll("[data-default]").forEach(function (el) { defaults[el.name] = el.dataset.default; });
    Array.from(data.keys()).forEach(function (key) {
      var values = data.getAll(key);
      if (values.every(function (v) { return v === "" || v === defaults[key]; })) data.delete(key);
    });
  });

  // After a header sort or page-size change comes back, keep the filter form's selects in step.
  document.addEventListener("htmx:afterSwap", function () {
    var results = document.getElementById("task-results");
    var form = document.getElementById("task-filters");
    if (!results || !form) return;
    var ordering = form.querySelector('[data-sync="ordering"]');
    if (ordering && results.dataset.ordering) ordering.value = results.dataset.ordering;
    var size = form.querySelector('[data-sync="page-size"]');
    if (size && results.dataset.pageSize) size.value = results.dataset.pageSize;
    updateSelection();
  });

  // Row checkboxes: "select all" and a live count; Generate content warns beyond its limit.
  function updateSelection() {
    var boxes = document.querySelectorAll('#bulk-form input[name="ids"]');
    var checked = Array.from(boxes).filter(function (b) { return b.checked; }).length;
    var counter = document.querySelector("[data-selected-count]");
    if (counter) counter.textContent = checked ? checked + " selected" : "Select tasks for bulk actions";
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    document.querySelectorAll("[data-max-selected]").forEach(function (button) {
      var limit = parseInt(button.getAttribute("data-max-selected"), 10);
      button.disabled = checked > limit;
    });
    var hint = document.querySelector("[data-generate-limit]");
    if (hint) hint.hidden = checked <= 10;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      document.querySelectorAll('#bulk-form input[name="ids"]').forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches && target.matches('#bulk-form input[type="checkbox"]')) updateSelection();
    if (target.matches && target.closest("[data-dependent-selects]")) narrow(target.closest("form"), true);
  });

  // Site → sector → cluster: hide options that do not belong to the chosen parent.
  function narrow(form, clear) {
    var site = form.querySelector('[data-role="site"]');
    var sector = form.querySelector('[data-role="sector"]');
    var cluster = form.querySelector('[data-role="cluster"]');
    if (site && sector) filterOptions(sector, "siteId", site.value, clear);
    if (sector && cluster) filterOptions(cluster, "sectorId", sector.value, clear);
  }

  function filterOptions(select, key, parent, clear) {
    Array.from(select.querySelectorAll("optgroup")).forEach(function (group) {
      var visible = 0;
      Array.from(group.children).forEach(function (option) {
        var show = !parent || option.dataset[key] === parent;
        option.hidden = !show;
        if (show) visible += 1;
      });
      group.hidden = visible === 0;
    });
    var chosen = select.selectedOptions[0];
    if (clear && chosen && chosen.hidden) select.value = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dependent-selects]").forEach(function (form) { narrow(form, false); });
    updateSelection();
  });
})();
