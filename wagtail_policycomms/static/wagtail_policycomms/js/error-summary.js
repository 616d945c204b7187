/*
 * wagtail-policycomms: move focus to the error summary of a refused comment.
 *
 * The comment form's page comes back with a summary of what to correct (or why the
 * comment was not sent), marked data-pc-error-summary and tabindex="-1". Focusing it
 * makes a screen reader read it first and puts keyboard users next to its links to the
 * fields. Loaded with `defer` from the site's own static files, so it works under a
 * Content-Security-Policy without inline scripts. The HTML `autofocus` attribute would
 * not do: browsers skip it when the address has a #fragment, as the form's does.
 *
 * Focused once the page has loaded: the browser scrolls to the form's #fragment after the
 * deferred scripts have run, and that would take the focus away again.
 */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-pc-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "complete") {
    focusSummary();
  } else {
    window.addEventListener("load", focusSummary, { once: true });
  }
})();
