/* The move page: show only the fields the chosen stage needs (all stay in the page without JavaScript). A static
   file, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline' for scripts. */
(function () {
  "use strict";
  var form = document.getElementById("move-form");
  var stage = form && form.querySelector("[name=to_stage]");
  if (!stage) return;
  var needs = {placed: ["start_date", "agreed_salary", "agreed_day_rate"], rejected: ["rejection_reason"]};
  var only = ["start_date", "agreed_salary", "agreed_day_rate", "rejection_reason"];
  function update() {
    only.forEach(function (name) {
      var row = form.querySelector('[data-field="' + name + '"]');
      if (row) row.hidden = (needs[stage.value] || []).indexOf(name) < 0;
    });
  }
  stage.addEventListener("change", update);
  update();
})();
