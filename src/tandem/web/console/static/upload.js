// Uploads with a progress bar: a form with data-progress="ID" is sent with XMLHttpRequest so
// the <progress id="ID"> can follow the bytes; the server then names the page to show (its
// flash message kept for that page). Without this script the form posts as usual.
"use strict";

(function () {
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    const bar = document.getElementById(form.getAttribute("data-progress"));
    if (!bar || !window.XMLHttpRequest || !window.FormData) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const request = new XMLHttpRequest();
      bar.hidden = false;
      bar.value = 0;
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          bar.value = Math.round((progress.loaded / progress.total) * 100);
        }
      });
      request.addEventListener("load", function () {
        let next = window.location.href;
        try { next = JSON.parse(request.responseText).next || next; } catch (e) { /* a page */ }
        window.location.assign(next);
      });
      request.addEventListener("error", function () {
        bar.hidden = true;
        window.alert("The upload did not reach the server; try again.");
      });
      request.open("POST", form.action);
      request.setRequestHeader("x-console-upload", "1");
      request.send(new FormData(form));
    });
  });
})();
