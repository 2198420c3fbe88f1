// "Insert image" and "Alt text" for the body editor (Quill): pick one of the content's images or the
// site's media library, or upload one; alt text is edited in place in a small dialog. Images live in
// the body as <figure><img src="/images/<id>/file" alt="..."></figure>; on save the server copies each
// alt text to the image's row (services/body_images.py).
//
// Load this after quill.js and BEFORE editor.js: the figure blot must be registered before the editor
// reads the body. It finds the editors by their .ql-container once they are mounted (Quill.find), so the
// editor code needs no change; its script tag carries data-pick-url and data-upload-url.
(function () {
  "use strict";

  var script = document.currentScript;
  var Quill = window.Quill;
  if (typeof Quill !== "function" || !script) {
    return;
  }

  // --- the figure blot: one block per image, kept as <figure><img></figure> ----------------------
  var BlockEmbed = Quill.import("blots/block/embed");

  class FigureImage extends BlockEmbed {
    static create(value) {
      var node = super.create();
      var img = document.createElement("img");
      img.setAttribute("src", (value && value.src) || "");
      img.setAttribute("alt", (value && value.alt) || "");
      node.appendChild(img);
      return node;
    }

    static value(node) {
      var img = node.querySelector("img");
      return img ? { src: img.getAttribute("src") || "", alt: img.getAttribute("alt") || "" } : null;
    }

    html() {
      var value = FigureImage.value(this.domNode) || { src: "", alt: "" };
      return '<figure><img src="' + escapeAttr(value.src) + '" alt="' + escapeAttr(value.alt) + '"></figure>';
    }
  }
  FigureImage.blotName = "figureImage";
  FigureImage.tagName = "FIGURE";
  Quill.register(FigureImage, true);

  function escapeAttr(text) {
    return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (_error) {
      return "";
    }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") {
        node.textContent = attrs[key];
      } else {
        node.setAttribute(key, attrs[key]);
      }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // --- the dialogs ---------------------------------------------------------------------------------
  var pickUrl = script.dataset.pickUrl;
  var uploadUrl = script.dataset.uploadUrl;

  // The toolbar button takes the focus (and Quill's selection with it): keep the last range.
  var lastRange = new WeakMap();

  // The image clicked last, while the cursor stays on it (a click also moves the native selection).
  var clicked = new WeakMap();

  function selectedImage(quill) {
    var picked = clicked.get(quill);
    if (picked && picked.domNode.isConnected && quill.root.contains(picked.domNode)) {
      return picked;
    }
    var range = quill.getSelection() || lastRange.get(quill);
    if (!range) {
      return null;
    }
    var lines = quill.getLines(range.index, Math.max(range.length, 1));
    for (var i = 0; i < lines.length; i += 1) {
      if (lines[i].domNode.tagName === "FIGURE") {
        return lines[i];
      }
    }
    // an inline image (pasted, or from older text): the leaf after or before the cursor
    var candidates = [quill.getLeaf(range.index + 1)[0], quill.getLeaf(range.index)[0]];
    for (var j = 0; j < candidates.length; j += 1) {
      var leaf = candidates[j];
      if (leaf && leaf.domNode && leaf.domNode.tagName === "IMG") {
        return leaf;
      }
    }
    return null;
  }

  function imageValue(blot) {
    var img = blot.domNode.tagName === "IMG" ? blot.domNode : blot.domNode.querySelector("img");
    return { src: img ? img.getAttribute("src") || "" : "", alt: img ? img.getAttribute("alt") || "" : "" };
  }

  function replaceImage(quill, blot, value) {
    var index = quill.getIndex(blot);
    quill.deleteText(index, 1, "user");
    quill.insertEmbed(index, "figureImage", value, "user");
    clicked.delete(quill);
    quill.setSelection(index + 1, 0, "silent");
  }

  function altDialog(quill) {
    var blot = selectedImage(quill);
    var dialog = el("dialog", { class: "image-dialog alt-dialog", "aria-labelledby": "alt-dialog-title" });
    var input = el("input", { type: "text", id: "alt-dialog-text", maxlength: "500" });
    var form = el("form", { method: "dialog" }, [
      el("h2", { id: "alt-dialog-title", text: "Alt text" }),
    ]);
    if (!blot) {
      form.appendChild(el("p", { text: "Put the cursor on an image in the text first (click it), then choose Alt text." }));
      form.appendChild(el("div", { class: "dialog-actions" }, [el("button", { value: "cancel", text: "Close" })]));
    } else {
      var value = imageValue(blot);
      input.value = value.alt;
      form.appendChild(el("label", { for: "alt-dialog-text", text: "Describe the image for people who cannot see it" }));
      form.appendChild(input);
      form.appendChild(el("small", { text: "Saved with the text; the image keeps the same alt text everywhere." }));
      form.appendChild(el("div", { class: "dialog-actions" }, [
        el("button", { value: "apply", text: "Apply" }),
        el("button", { value: "cancel", class: "secondary", formnovalidate: "", text: "Cancel" }),
      ]));
    }
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      if (blot && dialog.returnValue === "apply") {
        var current = imageValue(blot);
        replaceImage(quill, blot, { src: current.src, alt: input.value.trim() });
      }
      dialog.remove();
      quill.focus();
    });
    dialog.showModal();
    if (blot) {
      input.select();
    }
  }

  function insertDialog(quill) {
    var range = quill.getSelection(true) || { index: quill.getLength(), length: 0 };
    var chosen = null;
    var dialog = el("dialog", { class: "image-dialog insert-dialog", "aria-labelledby": "insert-dialog-title" });
    var search = el("input", { type: "search", id: "insert-image-search", placeholder: "alt text, prompt or file name" });
    var list = el("ul", { class: "image-choices", role: "listbox", "aria-label": "Images" });
    var file = el("input", { type: "file", id: "insert-image-file", accept: "image/png,image/jpeg,image/webp,image/gif" });
    var uploadButton = el("button", { type: "button", class: "secondary", text: "Upload" });
    var status = el("p", { class: "dialog-status", role: "status", "aria-live": "polite" });
    var alt = el("input", { type: "text", id: "insert-image-alt", maxlength: "500" });
    var insert = el("button", { value: "insert", text: "Insert", disabled: "" });
    var form = el("form", { method: "dialog" }, [
      el("h2", { id: "insert-dialog-title", text: "Insert image" }),
      el("label", { for: "insert-image-search", text: "Search this content's images and the site's library" }),
      search,
      list,
      el("label", { for: "insert-image-file", text: "Or upload an image" }),
      el("div", { class: "upload-row" }, [file, uploadButton]),
      status,
      el("label", { for: "insert-image-alt", text: "Alt text" }),
      alt,
      el("div", { class: "dialog-actions" }, [
        insert,
        el("button", { value: "cancel", class: "secondary", formnovalidate: "", text: "Cancel" }),
      ]),
    ]);
    dialog.appendChild(form);
    document.body.appendChild(dialog);

    function choose(image, button) {
      chosen = image;
      list.querySelectorAll("[aria-selected]").forEach(function (node) { node.setAttribute("aria-selected", "false"); });
      if (button) {
        button.setAttribute("aria-selected", "true");
      }
      alt.value = image.alt || "";
      insert.removeAttribute("disabled");
    }

    function show(images) {
      list.textContent = "";
      if (!images.length) {
        list.appendChild(el("li", { class: "muted", text: "No images yet: upload one." }));
      }
      images.forEach(function (image) {
        var button = el("button", {
          type: "button", role: "option", "aria-selected": "false", class: "image-choice",
          "aria-label": (image.own ? "This content: " : "Library: ") + (image.alt || image.label),
          "data-image-id": String(image.id),
        }, [el("img", { src: image.thumb, alt: "" })]);
        button.addEventListener("click", function () { choose(image, button); });
        list.appendChild(el("li", {}, [button]));
      });
    }

    function load() {
      status.textContent = "Loading…";
      fetch(pickUrl + "?q=" + encodeURIComponent(search.value), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          status.textContent = data.limits ? "Uploads: " + data.limits : "";
          show(data.images || []);
        })
        .catch(function () { status.textContent = "The images could not be loaded."; });
    }

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        load();
      }
    });
    uploadButton.addEventListener("click", function () {
      if (!file.files.length) {
        status.textContent = "Choose a file first.";
        file.focus();
        return;
      }
      var body = new FormData();
      body.append("file", file.files[0]);
      body.append("alt_text", alt.value);
      uploadButton.setAttribute("disabled", "");
      status.textContent = "Uploading…";
      fetch(uploadUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) {
          uploadButton.removeAttribute("disabled");
          if (!answer.ok) {
            var fields = (answer.data.error && answer.data.error.fields) || {};
            status.textContent = (fields.file || [answer.data.error ? answer.data.error.message : "The upload failed."]).join(" ");
            file.setAttribute("aria-invalid", "true");
            file.focus();
            return;
          }
          file.removeAttribute("aria-invalid");
          file.value = "";
          status.textContent = "Uploaded. Check the alt text, then insert it.";
          var image = answer.data;
          var button = el("button", {
            type: "button", role: "option", "aria-selected": "false", class: "image-choice",
            "aria-label": "This content: " + (image.alt || image.label), "data-image-id": String(image.id),
          }, [el("img", { src: image.thumb, alt: "" })]);
          button.addEventListener("click", function () { choose(image, button); });
          list.querySelectorAll("li.muted").forEach(function (node) { node.remove(); });
          list.insertBefore(el("li", {}, [button]), list.firstChild);
          choose(image, button);
          alt.focus();
        })
        .catch(function () {
          uploadButton.removeAttribute("disabled");
          status.textContent = "The upload failed; try again.";
        });
    });

    dialog.addEventListener("close", function () {
      if (dialog.returnValue === "insert" && chosen) {
        // After the paragraph the cursor is in, as a block of its own (never splitting the paragraph).
        var line = quill.getLine(range.index)[0];
        var at = line ? Math.min(quill.getIndex(line) + line.length(), quill.getLength()) : range.index;
        quill.insertEmbed(at, "figureImage", { src: chosen.src, alt: alt.value.trim() }, "user");
        quill.setSelection(Math.min(at + 1, quill.getLength() - 1), 0, "silent");
      }
      dialog.remove();
      quill.focus();
    });
    dialog.showModal();
    search.focus();
    load();
  }

  // --- toolbar buttons on each mounted editor --------------------------------------------------------
  function button(label, className, onClick) {
    var node = el("button", { type: "button", class: className, "aria-label": label, title: label, text: label });
    node.addEventListener("click", onClick);
    return node;
  }

  function attach(container) {
    var quill = Quill.find(container);
    if (!quill || container.dataset.insertImage) {
      return;
    }
    container.dataset.insertImage = "1";
    var toolbar = quill.getModule("toolbar");
    var bar = toolbar && toolbar.container;
    if (!bar) {
      return;
    }
    bar.appendChild(el("span", { class: "ql-formats writer-image-tools" }, [
      button("Insert image", "writer-insert-image", function () { insertDialog(quill); }),
      button("Alt text", "writer-alt-text", function () { altDialog(quill); }),
    ]));
    quill.on("selection-change", function (range) {
      if (range) {
        lastRange.set(quill, range);
        var picked = clicked.get(quill);
        if (picked && picked.domNode.isConnected) {
          var at = quill.getIndex(picked);
          if (range.index < at || range.index > at + 1) {
            clicked.delete(quill);  // the cursor moved away from the clicked image
          }
        }
      }
    });
    // Clicking an image in the text selects it, so "Alt text" knows which one.
    quill.root.addEventListener("click", function (event) {
      var img = event.target.closest && event.target.closest("img");
      if (!img) {
        return;
      }
      var blot = Quill.find(img.closest("figure") || img, true);
      if (blot && blot !== quill) {
        clicked.set(quill, blot);
        quill.setSelection(quill.getIndex(blot), 1, "user");
        lastRange.set(quill, { index: quill.getIndex(blot), length: 1 });
      }
    });
    quill.root.addEventListener("dblclick", function (event) {
      if (event.target.closest && event.target.closest("img")) {
        altDialog(quill);
      }
    });
  }

  function init() {
    if (!pickUrl) {
      return;
    }
    document.querySelectorAll(".ql-container").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    // editor.js runs after this script and mounts at once: attach once it has.
    setTimeout(init, 0);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
