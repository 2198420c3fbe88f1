// Rich-text editing on the content page: Quill mounted over the body textarea.
// Without JavaScript (or if Quill fails to load) the plain textarea stays visible and is submitted as is.
//
// Extension points (window.WriterEditor), for features that live in their own files:
//   WriterEditor.addToolbarButton({name, label, icon, handler})
//       adds a button to every editor's toolbar (also to editors mounted already); `icon` is trusted
//       markup (an inline SVG) or omitted for a text button; handler(quill, editor) runs on click.
//   WriterEditor.onMount(function (editor) {...})
//       runs for every mounted editor (also ones mounted already); editor = {quill, form, textarea,
//       markBodyChanged(), bodyHtml()}.
// Load such a script after this one (both `defer`): it registers before the editors mount.
(function () {
  "use strict";

  var api = window.WriterEditor = window.WriterEditor || {};
  var buttons = api.buttons = api.buttons || [];
  var mountHooks = api.mountHooks = api.mountHooks || [];
  var editors = api.editors = api.editors || [];

  var TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "underline", "link"],
    [{ list: "ordered" }, { list: "bullet" }, "blockquote", "code-block"],
    ["clean"]
  ];

  // Accessible names of Quill's controls (its own are the bare format names: "bold", "list: ordered").
  var NAMES = {
    bold: "Bold", italic: "Italic", underline: "Underline", link: "Link",
    "list: ordered": "Numbered list", "list: bullet": "Bulleted list", blockquote: "Quote",
    "code-block": "Code block", clean: "Clear formatting"
  };
  var HEADER_NAMES = { "2": "Heading 2", "3": "Heading 3", "4": "Heading 4", "": "Normal text" };

  // Tab and Shift+Tab leave the editor like any other field (WCAG 2.1.2, no keyboard trap): Quill's
  // own Tab bindings (insert a tab character, indent lists) are switched off.
  var KEYBOARD = {
    bindings: {
      tab: false,
      indent: false,
      outdent: false,
      "indent code-block": false,
      "outdent code-block": false,
      "remove tab": false
    }
  };

  function nameControls(holder, toolbar, label) {
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting of " + label);
    toolbar.querySelectorAll("button[aria-label]").forEach(function (button) {
      var name = NAMES[button.getAttribute("aria-label")];
      if (name) { button.setAttribute("aria-label", name); }
    });
    toolbar.querySelectorAll(".ql-header .ql-picker-label").forEach(function (picker) {
      picker.setAttribute("aria-label", "Text style");
    });
    toolbar.querySelectorAll(".ql-header .ql-picker-item").forEach(function (item) {
      item.setAttribute("aria-label", HEADER_NAMES[item.getAttribute("data-value") || ""] || "Text style");
    });
    var tooltip = holder.querySelector(".ql-tooltip");
    if (tooltip) {
      var input = tooltip.querySelector("input");
      if (input) { input.setAttribute("aria-label", "Link address"); }
      [[".ql-action", "Edit or save the link"], [".ql-remove", "Remove the link"], [".ql-preview", "Open the link"]]
        .forEach(function (pair) {
          var el = tooltip.querySelector(pair[0]);
          if (!el) { return; }
          el.setAttribute("aria-label", pair[1]);
          if (!el.hasAttribute("href")) {
            el.setAttribute("role", "button");
            el.setAttribute("tabindex", "0");
            el.addEventListener("keydown", function (event) {
              if (event.key === "Enter" || event.key === " ") { event.preventDefault(); el.click(); }
            });
          }
        });
    }
  }

  function addButton(editor, spec) {
    var toolbar = editor.toolbar;
    if (!toolbar || toolbar.querySelector('[data-writer-button="' + spec.name + '"]')) { return; }
    var group = document.createElement("span");
    group.className = "ql-formats";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "writer-toolbar-button";
    button.setAttribute("data-writer-button", spec.name);
    button.setAttribute("aria-label", spec.label);
    button.title = spec.label;
    if (spec.icon) { button.innerHTML = spec.icon; } else { button.textContent = spec.label; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      spec.handler(editor.quill, editor);
    });
    group.appendChild(button);
    toolbar.appendChild(group);
  }

  api.addToolbarButton = function (spec) {
    buttons.push(spec);
    editors.forEach(function (editor) { addButton(editor, spec); });
  };
  api.onMount = function (hook) {
    mountHooks.push(hook);
    editors.forEach(function (editor) { hook(editor); });
  };

  function mount(textarea) {
    if (typeof window.Quill !== "function" || textarea.dataset.mounted) {
      return;
    }
    textarea.dataset.mounted = "1";
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.insertAdjacentElement("afterend", holder);
    var quill = new window.Quill(holder, { theme: "snow", modules: { toolbar: TOOLBAR, keyboard: KEYBOARD } });
    quill.clipboard.dangerouslyPasteHTML(textarea.value || "", "silent");
    quill.history.clear();
    var editable = holder.querySelector(".ql-editor");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var toolbar = quill.getModule("toolbar").container;
    nameControls(holder, toolbar, label ? label.textContent.trim() : "the text");
    if (editable) {
      editable.setAttribute("role", "textbox");
      editable.setAttribute("aria-multiline", "true");
      if (textarea.getAttribute("aria-describedby")) {
        editable.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
      }
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
    var editor = {
      quill: quill,
      form: textarea.form,
      textarea: textarea,
      toolbar: toolbar,
      bodyChanged: false,
      markBodyChanged: function () { editor.bodyChanged = true; },
      // getSemanticHTML keeps spaces as &nbsp;; plain spaces wrap and diff better.
      bodyHtml: function () { return quill.getSemanticHTML().replace(/&nbsp;/g, " "); },
      // Copy the editor into the textarea (before any submit or autosave); false if the body is untouched.
      sync: function () {
        if (editor.bodyChanged) { textarea.value = editor.bodyHtml(); }
        return editor.bodyChanged;
      }
    };
    quill.on("text-change", function (_delta, _old, source) {
      if (source === "user") {
        editor.bodyChanged = true;
        textarea.form.dispatchEvent(new CustomEvent("writer:editor-change", { bubbles: true }));
      }
    });
    textarea.form.addEventListener("submit", editor.sync);
    editors.push(editor);
    buttons.forEach(function (spec) { addButton(editor, spec); });
    mountHooks.forEach(function (hook) { hook(editor); });
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
