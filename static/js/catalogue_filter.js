/* Register for Course: choosing a category in the "All categories" drop-down shows its courses
   and credentials at once. The results are fetched and swapped in place instead of reloading
   the page, so keyboard focus stays on the drop-down: arrow keys on a closed select fire
   "change" on every press in Chromium, and a reload per press would throw the user back to
   the top of the page (WCAG 3.2.2, no change of context on input). A polite live region says
   how many results are shown. Without JavaScript the Search button submits the form. */
(function () {
  "use strict";

  var form = document.querySelector("[data-catalogue-filter]");
  var results = document.querySelector("[data-catalogue-results]");
  var status = document.querySelector("[data-catalogue-status]");
  if (!form || !results || !status || !window.fetch || !window.DOMParser) { return; }
  var category = form.querySelector("select[name=category]");
  if (!category) { return; }
  var latest = 0;

  function describe(doc) {
    var count = doc.querySelectorAll(".credential-card, .course-card").length;
    var chosen = category.options[category.selectedIndex].text;
    return chosen + ": " + count + (count === 1 ? " result" : " results") + " shown.";
  }

  function show(url, request) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("catalogue " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (request !== latest) { return; }  // a later choice is on its way
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-catalogue-results]");
        if (!fresh) { throw new Error("catalogue without results"); }
        results.replaceChildren.apply(results, Array.prototype.slice.call(fresh.childNodes));
        window.history.replaceState(null, "", url);
        status.textContent = describe(doc);
      })
      .catch(function () {
        if (request === latest) { form.submit(); }  // fall back to the plain search
      });
  }

  category.addEventListener("change", function () {
    latest += 1;
    var query = new URLSearchParams(new FormData(form)).toString();
    show(form.action + (query ? "?" + query : ""), latest);
  });
})();
