/* Accessible names the admin's widgets lack: select2 autocomplete boxes and tabular-inline fields get the label
   of the field or of their column, so screen readers say what each control is; the theme's icons (ligature text
   such as "work" or "call") are hidden from them beside a label, so a button is read as "Add to role", not "work Add
   to role". */
(function () {
  "use strict";

  function labelFor(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label && label.textContent.trim()) return label.textContent.trim().replace(/[:*]\s*$/, "");
    return columnLabel(select);
  }

  function columnLabel(field) {
    var cell = field.closest("td");
    var table = field.closest("table");
    if (!cell || !table) return "";
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var header = table.querySelectorAll("thead tr th")[index];
    var text = header ? header.textContent.trim().replace(/\s+/g, " ") : "";
    var row = cell.parentNode.querySelector(".inline_label, td.original p");
    return text + (row && row.textContent.trim() ? " (" + row.textContent.trim().slice(0, 60) + ")" : "");
  }

  function fix() {
    document.querySelectorAll(".material-symbols-outlined:not([aria-hidden])").forEach(function (icon) {
      var parent = icon.parentElement;
      var words = parent ? parent.textContent.replace(icon.textContent, "").trim() : "";
      if (words) icon.setAttribute("aria-hidden", "true");  /* an icon alone keeps its text as the name */
    });
    document.querySelectorAll("select.admin-autocomplete, select[data-select2-id]").forEach(function (select) {
      var name = labelFor(select);
      var container = select.nextElementSibling;
      if (!name || !container || !container.classList.contains("select2")) return;
      container.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field").forEach(function (control) {
        if (!control.getAttribute("aria-label")) control.setAttribute("aria-label", name);
      });
      container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.setAttribute("role", "presentation");
      });
    });
    document.querySelectorAll(".tabular td input:not([type=hidden]), .tabular td select, .tabular td textarea").forEach(function (field) {
      if (field.getAttribute("aria-label") || field.labels && field.labels.length) return;
      var name = columnLabel(field);
      if (name) field.setAttribute("aria-label", name);
    });
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fix();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", schedule);
})();
