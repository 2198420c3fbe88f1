// No lost work on the content page: save without leaving the page (Ctrl/Cmd+S too), autosave into the
// user's slot after AUTOSAVE_MS without typing, a warning before leaving with unsaved changes, and the
// post lock's heartbeat ("<name> is editing", take over). Needs editor.js (loaded before this file).
(function () {
  "use strict";

  var AUTOSAVE_MS = window.writerAutosaveDelay || 10000;

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function timeLabel(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function postJson(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(body || {})
    });
  }

  // A region where the user typed something (a review comment) is left alone.
  function typedIn(region) {
    return Array.prototype.some.call(region.querySelectorAll("textarea, input[type=text]"), function (el) {
      return el.value !== el.defaultValue;
    });
  }

  // Replace the parts of the page a save changes (header, preview, revisions, ...) with fresh copies,
  // leaving the form, the editor and the scroll position alone.
  function refreshRegions() {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        // Keep the editor where it is on screen although regions above it may change height.
        var anchor = document.querySelector("form[data-editor-form]");
        var before = anchor ? anchor.getBoundingClientRect().top : 0;
        document.querySelectorAll("[data-refresh-on-save][id]").forEach(function (old) {
          var replacement = fresh.getElementById(old.id);
          if (!replacement || old.contains(document.activeElement) || typedIn(old)) { return; }
          old.replaceWith(replacement);
          if (window.htmx) { window.htmx.process(replacement); }
        });
        // Browsers with scroll anchoring have kept it in place by the next frame; correct the others.
        if (anchor) {
          window.requestAnimationFrame(function () {
            var moved = anchor.getBoundingClientRect().top - before;
            if (Math.abs(moved) > 1) { window.scrollBy(0, moved); }
          });
        }
      })
      .catch(function () { /* the page is still correct, only less fresh */ });
  }

  function session(editor) {
    var form = editor.form;
    if (!form || !form.hasAttribute("data-editor-form") || form.dataset.session) { return; }
    form.dataset.session = "1";
    var status = form.querySelector("[data-save-status]");
    var fieldset = form.querySelector("fieldset[data-editor-fields]");
    var lockBox = document.querySelector("[data-lock-notice]");
    var dirty = false;
    var leaving = false; // a native submit or a navigation we started ourselves
    var saving = false;
    var timer = null;
    var lockState = null;

    function say(text) { if (status) { status.textContent = text; } }

    function fields() {
      var out = {};
      ["title", "meta_title", "meta_description", "primary_keyword", "secondary_keywords", "slug"].forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input) { out[name] = input.value; }
      });
      if (editor.bodyChanged) { out.html = editor.bodyHtml(); }
      return out;
    }

    function changed() {
      dirty = true;
      form.setAttribute("data-dirty", "");
      say("Unsaved changes");
      window.clearTimeout(timer);
      timer = window.setTimeout(autosave, AUTOSAVE_MS);
    }

    function autosave() {
      window.clearTimeout(timer);
      if (!dirty || saving) { return Promise.resolve(); }
      return postJson(form.getAttribute("data-autosave-url"), form, {
        fields: fields(),
        version: form.elements.namedItem("version").value,
        revision: form.elements.namedItem("revision").value
      }).then(function (response) {
        if (response.ok && dirty) { say("Unsaved changes · autosaved at " + timeLabel(new Date())); }
      }).catch(function () { say("Unsaved changes · autosave failed (offline?)"); });
    }

    function save() {
      if (saving || (fieldset && fieldset.disabled)) { return; }
      saving = true;
      window.clearTimeout(timer);
      editor.sync();
      say("Saving…");
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
        body: new FormData(form)
      }).then(function (response) {
        if (!response.ok) {
          // A newer save by someone else, or field errors: the page shows them (the text is kept).
          leaving = true;
          HTMLFormElement.prototype.submit.call(form);
          return null;
        }
        return response.json().then(function (data) {
          form.elements.namedItem("version").value = data.version;
          if (data.revision != null) { form.elements.namedItem("revision").value = data.revision; }
          dirty = false;
          editor.bodyChanged = false;
          form.removeAttribute("data-dirty");
          document.querySelectorAll("[data-autosave-notice]").forEach(function (el) { el.remove(); });
          say(data.message + " (" + timeLabel(new Date()) + ")");
          return refreshRegions();
        });
      }).catch(function () {
        say("Not saved: the server could not be reached. Your changes are still here; try again.");
      }).then(function () { saving = false; });
    }

    form.addEventListener("input", changed);
    form.addEventListener("writer:editor-change", changed);
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name) { leaving = true; return; } // "Save mine over theirs": a real post
      event.preventDefault();
      save();
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        save();
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !leaving) {
        autosave();
        event.preventDefault();
        event.returnValue = ""; // older browsers need a value to show the dialog
      }
    });

    if (form.hasAttribute("data-restored")) {
      if (form.getAttribute("data-restored").split(" ").indexOf("html") !== -1) { editor.markBodyChanged(); }
      changed();
      say("Restored your unsaved changes: save to keep them");
      // A reload should not restore again over newer typing: drop ?autosave=restore from the address.
      if (window.history.replaceState) { window.history.replaceState(null, "", window.location.pathname + window.location.hash); }
    }

    // The post lock.
    function applyLock(state) {
      lockState = state.state;
      var mine = state.state === "mine" || state.state === "free";
      if (fieldset) { fieldset.disabled = !mine; }
      editor.quill.enable(mine);
      if (!lockBox) { return; }
      lockBox.hidden = mine;
      var text = lockBox.querySelector("[data-lock-text]");
      if (text && !mine) {
        text.textContent = state.state === "taken_over"
          ? state.holder + " took over editing. Anything you had not saved is in your autosave; take over again to continue."
          : state.holder + " is editing this content. Take over to edit it yourself (they will be told).";
      }
    }

    function heartbeat() {
      return postJson(form.getAttribute("data-lock-url"), form).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (state) {
        if (!state) { return; }
        if (state.state === "taken_over" && lockState !== "taken_over") { autosave(); }
        applyLock(state);
        window.setTimeout(heartbeat, window.writerHeartbeatMs || (state.heartbeat_seconds || 30) * 1000);
      }).catch(function () { window.setTimeout(heartbeat, 30000); });
    }

    if (lockBox) {
      var takeOver = lockBox.querySelector("form");
      if (takeOver) {
        takeOver.addEventListener("submit", function (event) {
          event.preventDefault();
          postJson(takeOver.action, form).then(function (response) {
            return response.ok ? response.json() : null;
          }).then(function (state) { if (state) { applyLock(state); editor.quill.focus(); } });
        });
      }
    }
    if (form.getAttribute("data-lock-url")) {
      heartbeat();
      window.addEventListener("pagehide", function () {
        if (lockState === "mine" && navigator.sendBeacon) {
          var data = new FormData();
          data.append("csrf_token", csrfToken(form));
          navigator.sendBeacon(form.getAttribute("data-lock-release-url"), data);
        }
      });
    }
  }

  if (window.WriterEditor && window.WriterEditor.onMount) {
    window.WriterEditor.onMount(session);
  }
})();
