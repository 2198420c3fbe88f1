// Content checks side panel: send the rich editor's current HTML with each live check, and make a
// check's "Go to ..." link open, scroll to and highlight the field or paragraph it is about.
// Without this file the links still jump to the field ids and the panel shows the saved text's checks.
(function () {
  "use strict";
  if (window.writerValidation) {
    return; // the panel can be swapped in more than once
  }
  window.writerValidation = true;

  function editorHtml(form) {
    var holder = form && form.querySelector(".rich-editor");
    var quill = holder && window.Quill && typeof window.Quill.find === "function" ? window.Quill.find(holder) : null;
    if (quill && typeof quill.getSemanticHTML === "function") {
      return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
    }
    return null;
  }

  // Live checks: the body textarea is only updated on submit, so read the editor itself.
  document.addEventListener("htmx:configRequest", function (event) {
    var panel = event.target.closest ? event.target.closest("[data-validation-panel]") : null;
    if (!panel || event.detail.verb !== "post") {
      return;
    }
    var html = editorHtml(document.querySelector(panel.getAttribute("data-form")));
    if (html !== null) {
      if (event.detail.formData) {
        event.detail.formData.set("html", html);
      } else {
        event.detail.parameters.html = html;
      }
    }
  });

  function reveal(element) {
    var details = element.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement ? details.parentElement.closest("details") : null;
    }
    element.scrollIntoView({ behavior: "smooth", block: "center" });
    element.classList.add("validation-highlight");
    window.setTimeout(function () { element.classList.remove("validation-highlight"); }, 2500);
  }

  function paragraph(n) {
    // The editor when the edit form is open, else the saved text's preview.
    var editor = document.querySelector(".rich-editor .ql-editor");
    var scopes = [];
    if (editor && editor.offsetParent !== null) { scopes.push(editor); }
    var preview = document.querySelector(".preview-body");
    if (preview) { scopes.push(preview); }
    if (editor) { scopes.push(editor); }
    for (var i = 0; i < scopes.length; i++) {
      var found = scopes[i].querySelectorAll("p")[n - 1];
      if (found) { return found; }
    }
    return null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-validation-target]") : null;
    if (!link) {
      return;
    }
    var n = parseInt(link.getAttribute("data-paragraph") || "0", 10);
    var name = link.getAttribute("data-validation-target");
    var target = n ? paragraph(n) : null;
    var field = document.getElementById(name);
    if (!target && field) {
      // A body textarea replaced by the rich editor: go to the editor instead.
      target = field.hidden ? (field.parentElement.querySelector(".rich-editor .ql-editor") || field) : field;
    }
    if (!target) {
      return; // no such element on this page: let the link do its default
    }
    event.preventDefault();
    reveal(target);
    if (target.matches("input, textarea, select, [contenteditable]")) {
      target.focus({ preventScroll: true });
    } else {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
    }
  });
})();
