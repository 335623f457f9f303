/* Review site: a refused form's error note is announced and focused, and a confirmation is read
   out, as on the portal's own pages (static/js/portal.js). Django's admin templates render them
   as plain paragraphs and lists. */
(function () {
  "use strict";
  function start() {
    var error = document.querySelector(".errornote");
    if (error) {
      error.setAttribute("role", "alert");
      error.setAttribute("tabindex", "-1");
      document.querySelectorAll("[autofocus]").forEach(function (element) {
        element.removeAttribute("autofocus");
      });
      error.focus();
      return;
    }
    var messages = document.querySelector("ul.messagelist");
    if (messages && !messages.parentNode.hasAttribute("role")) {
      // The status role goes on a wrapper: on the list itself it would hide the list from
      // assistive technology (its items would no longer be in a list).
      var status = document.createElement("div");
      status.setAttribute("role", "status");
      status.setAttribute("tabindex", "-1");
      messages.parentNode.insertBefore(status, messages);
      status.appendChild(messages);
      status.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
