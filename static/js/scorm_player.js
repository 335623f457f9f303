/* The SCORM player: starts the scorm-again runtime (SCORM 1.2 or 2004) with the attempt's saved
   data, then loads the launch page of the SCO being played into the iframe (a package of several
   SCOs plays one per page, each with its own attempt and commit address). Every commit (the package's
   Commit/Terminate, and an autocommit a few seconds after a change) posts the whole data
   model with a sequence number to the portal, which decides completion. */
(function () {
  "use strict";

  var player = document.querySelector("[data-scorm-player]");
  if (!player) { return; }
  var frame = document.getElementById("scorm-frame");
  var status = document.getElementById("scorm-status");
  var standard = player.getAttribute("data-standard");
  var sequence = parseInt(player.getAttribute("data-sequence"), 10) || 0;
  var saved = JSON.parse(document.getElementById("scorm-runtime-data").textContent);

  var settings = {
    lmsCommitUrl: player.getAttribute("data-commit-url"),
    autocommit: true,
    autocommitSeconds: 5,
    dataCommitFormat: "json",
    logLevel: 5,
    xhrHeaders: { "X-CSRFToken": player.getAttribute("data-csrf-token") },
    requestHandler: function (commitObject) {
      sequence += 1;
      return {
        sequence: sequence,
        total_time_seconds: Math.round(commitObject.totalTimeSeconds || 0),
        cmi: api.renderCMIToJSONObject()
      };
    }
  };

  var api;
  if (standard === "2004") {
    api = new window.Scorm2004API(settings);
    window.API_1484_11 = api;
  } else {
    api = new window.Scorm12API(settings);
    window.API = api;
  }
  if (saved && Object.keys(saved).length) {
    api.loadFromJSON(saved.cmi || saved, "");
  }
  var learner = JSON.parse(document.getElementById("scorm-learner").textContent);
  if (standard === "2004") {
    api.cmi.learner_id = learner.id;
    api.cmi.learner_name = learner.name;
    if (saved && Object.keys(saved).length) { api.cmi.entry = "resume"; }
  } else {
    api.cmi.core.student_id = learner.id;
    api.cmi.core.student_name = learner.name;
    if (saved && Object.keys(saved).length) { api.cmi.core.entry = "resume"; }
  }

  api.on(standard === "2004" ? "Terminate" : "LMSFinish", function () {
    status.textContent = player.getAttribute("data-finished-message") ||
      "Your progress was saved. Return to the course to see its status.";
  });

  frame.src = player.getAttribute("data-launch-url");
})();
