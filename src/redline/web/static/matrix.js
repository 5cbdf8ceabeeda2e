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
    // On a narrow screen the panel sits below the whole table: bring it into view and move
    // focus there, so the quote is seen (and read out) rather than filled in off screen.
    var aside = document.getElementById("evidence-panel");
    if (aside) {
      var r = aside.getBoundingClientRect();
      var vh = window.innerHeight || document.documentElement.clientHeight;
      if (r.top >= vh || r.bottom <= 0) {
        aside.scrollIntoView({block: "start"});
        aside.focus({preventScroll: true});
      }
    }
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
    // Arrow keys only move the date (label and date field follow); Enter or "Show" loads it.
    // A pointer drag loads the date where it is released.
    var byKey = false;
    function pick() {
      var d = data.dates[Number(slider.value)];
      if (label && d) label.textContent = d;
      if (dateInput && d) dateInput.value = d;
      if (d) slider.setAttribute("aria-valuetext", d);
      return d;
    }
    function go() {
      var d = pick();
      if (d && dateInput) form.submit();
    }
    slider.addEventListener("input", pick);
    slider.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); go(); return; }
      byKey = true;
    });
    slider.addEventListener("pointerdown", function () { byKey = false; });
    slider.addEventListener("change", function () {
      if (byKey) { pick(); return; }
      go();
    });
  }
})();
