/* The public site's only script. After a failed submit, keyboard and screen-reader users start at the summary of
   what to fix. A static file, so the Content-Security-Policy allows no inline script on the public site. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
