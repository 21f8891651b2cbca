/* The pipeline board's drag and drop. Each drop posts to the submission's move page (the same service as the
   plain form, which stays as the fallback without JavaScript). Placed and Rejected ask for what they need first;
   a refused move puts the card back and says why. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || board.dataset.canMove !== "1" || typeof Sortable === "undefined") return;
  var status = document.getElementById("board-status");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var moveUrl = function (id) { return board.dataset.moveUrl.replace("/0/", "/" + id + "/"); };

  function updateCounts() {
    document.querySelectorAll("[data-stage] > h2 [data-count], details[data-stage] [data-count]").forEach(function (badge) {
      var holder = badge.closest("[data-stage]");
      badge.textContent = holder.querySelectorAll(".ws-card").length;
    });
  }

  function ask(dialogId, name) {
    // Resolves with the dialog's fields, or null when cancelled.
    return new Promise(function (resolve) {
      var dialog = document.getElementById(dialogId);
      var form = dialog.querySelector("form");
      form.reset();
      dialog.querySelector("[data-errors]").textContent = "";
      dialog.querySelector("[data-name]").textContent = name;
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        resolve(dialog.returnValue === "ok" ? new FormData(form) : null);
      });
      dialog.showModal();
    });
  }

  function send(card, toStage, extra) {
    var data = extra || new FormData();
    data.append("to_stage", toStage);
    data.append("csrfmiddlewaretoken", csrf);
    return fetch(moveUrl(card.dataset.id), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) { return response.json(); });
  }

  function onDrop(event) {
    var card = event.item;
    var toStage = event.to.dataset.stage;
    var name = card.dataset.name;
    var goBack = function () {
      event.from.insertBefore(card, event.from.children[event.oldIndex] || null);
      updateCounts();
    };
    var question = Promise.resolve(new FormData());
    if (toStage === "placed") question = ask("place-dialog", name);
    else if (toStage === "rejected") question = ask("reject-dialog", name);
    else if (toStage === "withdrawn" || card.dataset.stage === "rejected" || card.dataset.stage === "withdrawn") {
      question = ask("note-dialog", name);
    }
    question.then(function (extra) {
      if (extra === null) { goBack(); status.textContent = name + " was not moved."; return; }
      status.textContent = "Moving " + name + "…";
      send(card, toStage, extra).then(function (result) {
        if (result.ok) {
          card.dataset.stage = result.stage;
          status.textContent = result.message;
          if (toStage === "placed") window.location.reload();
        } else {
          goBack();
          status.textContent = name + " was not moved: " + result.errors.join(" ");
        }
        updateCounts();
      }).catch(function () { goBack(); status.textContent = name + " was not moved: the server did not answer."; });
    });
  }

  document.querySelectorAll(".ws-cards").forEach(function (list) {
    Sortable.create(list, {
      group: "board",
      sort: false,
      animation: 120,
      filter: "details, select, input, button, a",
      preventOnFilter: false,
      emptyInsertThreshold: 24,
      onAdd: onDrop
    });
  });
  // A closed exit (rejected / withdrawn) still takes drops: open it while a card is dragged over it.
  document.querySelectorAll("details.ws-exit").forEach(function (exit) {
    exit.addEventListener("dragenter", function () { exit.open = true; });
  });
})();
