// Live tables: an element with data-live="URL" has its contents replaced by what URL answers
// every few seconds while the page is visible (the support inbox's new tickets). The server
// renders the rows, escaped as on the page; without this script the page is reloaded by hand.
"use strict";

(function () {
  const EVERY_MS = 4000;
  document.querySelectorAll("[data-live]").forEach(function (target) {
    const url = target.getAttribute("data-live");
    async function refresh() {
      if (document.visibilityState === "visible") {
        try {
          const response = await fetch(url, { credentials: "same-origin" });
          if (response.ok) {
            target.innerHTML = await response.text();
          }
        } catch (e) {
          /* the server is away for a moment: try again at the next tick */
        }
      }
      window.setTimeout(refresh, EVERY_MS);
    }
    window.setTimeout(refresh, EVERY_MS);
  });
})();
