// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to an error summary or a confirmation panel so screen readers hear it first.
  var target = document.querySelector("[data-autofocus]");
  if (target) {
    target.focus();
  }
})();
