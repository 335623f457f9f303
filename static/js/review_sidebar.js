/* The review site's navigation sidebar starts collapsed, so a keyboard user reaches the queue
   without tabbing through every model first; the toggle button opens it and Django's own
   nav_sidebar.js remembers the choice. Runs before nav_sidebar.js (which is deferred). */
(function () {
  "use strict";
  var key = "django.admin.navSidebarIsOpen";
  try {
    if (window.localStorage.getItem(key) === null) {
      window.localStorage.setItem(key, "false");
    }
  } catch (error) {
    /* Storage refused (private mode): Django then opens the sidebar as usual. */
  }
})();
