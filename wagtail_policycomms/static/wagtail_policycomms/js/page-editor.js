/*
 * wagtail-policycomms: the page editor of the package's page types (loaded through
 * their form's media, PolicyCommsPageForm, so no other page type is affected).
 *
 * 1. The slug follows the title in ASCII: "Lấy ý kiến Điều lệ" → "lay-y-kien-dieu-le",
 *    whatever WAGTAIL_ALLOW_UNICODE_SLUGS says. Wagtail's title field sends
 *    "w-sync:check" (on focus: may the slug follow?) and "w-sync:apply" (on typing) to
 *    the slug field, whose w-slug controller answers them; this script answers first
 *    (capture phase) with asciiSlug, the same function as the server's
 *    formats.text.ascii_slug, and stops the event there. A slug the editor typed is
 *    made ASCII when the field is left. Without the script, the server makes the
 *    same slug on saving.
 * 2. Errors on any tab are listed under the "could not be saved" message at the top,
 *    "Field (tab): error", each a link that opens the tab and puts the cursor in the
 *    field. The labels are the page's own, so the list speaks the editor's language.
 */
(function () {
  "use strict";

  var NOT_IN_SLUG = /[^a-z0-9_ \t\n\r\f\v-]/g;
  var SEPARATORS = /[- \t\n\r\f\v]+/g;
  var SLUG_MAX_LENGTH = 255;

  /* formats.text.ascii_slug, step by step. */
  function asciiSlug(text) {
    var slug = String(text || "")
      .replace(/[đĐ]/g, "d")
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .toLowerCase()
      .replace(NOT_IN_SLUG, "")
      .replace(SEPARATORS, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    return slug.substring(0, SLUG_MAX_LENGTH).replace(/-+$/, "");
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { asciiSlug: asciiSlug }; // tests/test_slugs.py runs it in Node
  }
  if (typeof document === "undefined") {
    return;
  }

  function isSlugField(element) {
    return Boolean(
      element && element.matches && element.matches('input[name="slug"][data-controller~="w-slug"]')
    );
  }

  function titleOf(event) {
    return (event.detail && event.detail.value) || "";
  }

  // On focus of the title: the slug follows it while it is empty or made from it.
  document.addEventListener(
    "w-sync:check",
    function (event) {
      var slug = event.target;
      if (!isSlugField(slug)) {
        return;
      }
      event.stopImmediatePropagation();
      if (slug.value && slug.value !== asciiSlug(titleOf(event))) {
        event.preventDefault(); // the editor's own slug: stop following the title
      }
    },
    true
  );

  // On typing in the title: the ASCII slug, instead of Wagtail's.
  document.addEventListener(
    "w-sync:apply",
    function (event) {
      var slug = event.target;
      if (!isSlugField(slug)) {
        return;
      }
      event.stopImmediatePropagation();
      event.preventDefault(); // the title is not copied as it is
      slug.value = asciiSlug(titleOf(event));
    },
    true
  );

  // A slug typed by the editor, when the field is left.
  document.addEventListener("w-slug:applied", function (event) {
    var slug = event.target;
    if (isSlugField(slug) && event.detail && event.detail.action === "slugify") {
      slug.value = asciiSlug(event.detail.sourceValue);
    }
  });

  // --- The list of errors ------------------------------------------------------------------

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function tabLabel(panel) {
    var trigger = panel && document.getElementById(panel.getAttribute("aria-labelledby"));
    if (!trigger) {
      return "";
    }
    var copy = trigger.cloneNode(true);
    copy.querySelectorAll(".w-tabs__errors").forEach(function (count) {
      count.remove();
    });
    return text(copy);
  }

  function openField(panel, input) {
    if (panel && panel.hidden) {
      var trigger = document.getElementById(panel.getAttribute("aria-labelledby"));
      if (trigger) {
        trigger.click();
      }
    }
    if (input) {
      input.scrollIntoView({ block: "center" });
      input.focus();
    }
  }

  function errorItems(form) {
    var items = [];
    form.querySelectorAll("[data-field-errors]").forEach(function (errors) {
      var messages = Array.prototype.map
        .call(errors.querySelectorAll(".error-message"), text)
        .filter(Boolean);
      var field = errors.closest("[data-field]");
      if (!messages.length || !field) {
        return;
      }
      // The field's own input (a chooser's is hidden: the cursor goes to its button).
      var input = field.querySelector(
        "[data-field-input] input[id], [data-field-input] select[id], [data-field-input] textarea[id]"
      );
      var inputId = input && input.id;
      var label = inputId && document.querySelector('label[for="' + CSS.escape(inputId) + '"]');
      if (!input || input.type === "hidden") {
        input =
          field.querySelector(
            "[data-field-input] button, [data-field-input] input:not([type=hidden]), [data-field-input] [contenteditable]"
          ) || input;
      }
      var panel = field.closest('[role="tabpanel"]');
      var where = tabLabel(panel);
      var name = text(label).replace(/\*$/, "").trim();
      items.push({
        href: "#" + (inputId || errors.id),
        text: (name || inputId || "") + (where ? " (" + where + ")" : "") + ": " + messages.join(" "),
        panel: panel,
        input: input || errors,
      });
    });
    return items;
  }

  function listErrors() {
    var form = document.querySelector("form[data-edit-form]");
    if (!form || document.querySelector("[data-pc-editor-errors]")) {
      return;
    }
    var items = errorItems(form);
    if (!items.length) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "pc-editor-errors";
    list.setAttribute("data-pc-editor-errors", "");
    items.forEach(function (item) {
      var link = document.createElement("a");
      link.href = item.href;
      link.textContent = item.text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openField(item.panel, item.input);
      });
      var entry = document.createElement("li");
      entry.appendChild(link);
      list.appendChild(entry);
    });
    var message = document.querySelector(".messages li.error");
    if (message) {
      message.appendChild(list); // under "The page could not be saved due to validation errors."
    } else {
      list.setAttribute("role", "alert");
      form.insertBefore(list, form.firstChild);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", listErrors);
  } else {
    listErrors();
  }
})();
