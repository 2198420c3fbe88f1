// Rich-text editing on the content review page: Quill mounted over the body textarea.
// Without JavaScript (or if Quill fails to load) the plain textarea stays visible and is submitted as is.
(function () {
  "use strict";

  var TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "underline", "link"],
    [{ list: "ordered" }, { list: "bullet" }, "blockquote", "code-block"],
    ["clean"]
  ];

  function mount(textarea) {
    if (typeof window.Quill !== "function" || textarea.dataset.mounted) {
      return;
    }
    textarea.dataset.mounted = "1";
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.insertAdjacentElement("afterend", holder);
    var quill = new window.Quill(holder, { theme: "snow", modules: { toolbar: TOOLBAR } });
    quill.clipboard.dangerouslyPasteHTML(textarea.value || "", "silent");
    quill.history.clear();
    var editable = holder.querySelector(".ql-editor");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (editable) {
      editable.setAttribute("role", "textbox");
      editable.setAttribute("aria-multiline", "true");
      if (label) {
        label.id = label.id || textarea.id + "-label";
        editable.setAttribute("aria-labelledby", label.id);
        // Clicking the label focuses the editor instead of the hidden textarea.
        label.addEventListener("click", function (event) { event.preventDefault(); quill.focus(); });
      }
    }
    textarea.hidden = true;

    // Only a body the user changed is written back: Quill normalises HTML, and an untouched body must
    // not turn into a "changed" revision.
    var changed = false;
    quill.on("text-change", function (_delta, _old, source) {
      if (source === "user") {
        changed = true;
      }
    });
    textarea.form.addEventListener("submit", function () {
      if (changed) {
        // getSemanticHTML keeps spaces as &nbsp;; plain spaces wrap and diff better.
        textarea.value = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
      }
    });
  }

  function init() {
    document.querySelectorAll("textarea[data-rich-editor]").forEach(mount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // The review page can be swapped in by htmx (fragment requests); mount editors that arrive that way.
  document.addEventListener("htmx:afterSettle", init);
})();
