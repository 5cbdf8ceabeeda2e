// Matrix page: click a cell to show its evidence; the "as of" slider moves through position dates.
// The evidence is server-rendered (escaped) in #evidence-store; this script only clones nodes,
// it never builds HTML from strings.
(function () {
  "use strict";
  var panel = document.getElementById("evidence-body");
  var hint = document.getElementById("evidence-hint");
  var selected = null;

  function show(button) {
    var src = document.getElementById(button.getAttribute("data-ev"));
    if (!src || !panel) return;
    var copy = src.cloneNode(true);
    copy.removeAttribute("id");
    copy.setAttribute("data-party", button.getAttribute("data-party"));
    copy.setAttribute("data-issue", button.getAttribute("data-issue"));
    panel.replaceChildren(copy);
    if (hint) hint.hidden = true;
    if (selected) selected.classList.remove("selected");
    selected = button.parentElement;
    selected.classList.add("selected");
  }

  var table = document.getElementById("matrix");
  if (table) {
    table.addEventListener("click", function (e) {
      var button = e.target.closest(".cell-btn");
      if (button) show(button);
    });
  }

  var dataEl = document.getElementById("asof-data");
  var slider = document.getElementById("asof-slider");
  var label = document.getElementById("asof-label");
  var dateInput = document.getElementById("asof-date");
  var form = document.getElementById("asof-form");
  if (dataEl && slider && form) {
    var data = JSON.parse(dataEl.textContent);
    slider.addEventListener("input", function () {
      var d = data.dates[Number(slider.value)];
      if (label && d) label.textContent = d;
      if (dateInput && d) dateInput.value = d;
    });
    slider.addEventListener("change", function () {
      var d = data.dates[Number(slider.value)];
      if (d && dateInput) { dateInput.value = d; form.submit(); }
    });
  }
})();
