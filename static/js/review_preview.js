/* Chromium's PDF viewer takes focus when a preview finishes loading, which would drop a
   keyboard user inside the file instead of where they were. When focus lands in the preview
   without the person tabbing or clicking into it, it goes back to where it was. */
(function () {
  "use strict";
  var lastIntent = 0;
  var previous = null;
  function noteIntent() { lastIntent = Date.now(); }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Tab") { noteIntent(); }
  }, true);
  document.addEventListener("pointerdown", noteIntent, true);
  document.addEventListener("focusin", function (event) {
    if (event.target.tagName !== "IFRAME") { previous = event.target; }
  });
  function giveFocusBack(frame) {
    if (document.activeElement !== frame || Date.now() - lastIntent < 500) { return; }
    frame.blur();
    if (previous && document.contains(previous)) {
      previous.focus({ preventScroll: true });
    } else {
      window.focus();
    }
  }
  // The viewer loads on its own schedule, so watch for the first seconds of the page.
  function watch(frame) {
    var checks = 0;
    var timer = window.setInterval(function () {
      giveFocusBack(frame);
      checks += 1;
      if (checks > 50) { window.clearInterval(timer); }
    }, 200);
  }
  function start() { document.querySelectorAll("iframe[data-keep-focus]").forEach(watch); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
