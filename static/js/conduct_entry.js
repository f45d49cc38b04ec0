// Two-tap conduct entry: tap students (cards are checkboxes), tap an item
// (a submit button). htmx posts the form; after a recording the selection
// is cleared so the next tap starts afresh.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var boxes = function () { return form.querySelectorAll('input[name="students"]'); };
  var counter = document.getElementById("selected-count");

  function refresh() {
    var n = 0;
    boxes().forEach(function (box) {
      box.closest(".student-card").classList.toggle("selected", box.checked);
      if (box.checked) n += 1;
    });
    counter.textContent = n;
    form.classList.toggle("has-selection", n > 0);
  }

  function select(ids) {
    boxes().forEach(function (box) { box.checked = ids === "all" || (ids && ids.indexOf(box.value) !== -1); });
    refresh();
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "students") refresh();
  });

  form.querySelectorAll("[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var mode = button.getAttribute("data-select");
      if (mode === "all") select("all");
      else if (mode === "none") select([]);
      else select((button.getAttribute("data-members") || "").split(" ").filter(Boolean));
    });
  });

  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.requestConfig && event.detail.requestConfig.path.indexOf("/record/") !== -1) {
      select([]);
      var note = document.getElementById("entry-note");
      if (note) note.value = "";
    }
  });

  // htmx swaps 4xx answers too, so validation messages show in place.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  // One dimension's items at a time keeps the panel short on a tablet.
  var tabs = form.querySelectorAll("[data-dimension-tab]");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      var wanted = tab.getAttribute("data-dimension-tab");
      tabs.forEach(function (t) {
        var on = t === tab;
        t.classList.toggle("active", on);
        t.setAttribute("aria-selected", on ? "true" : "false");
      });
      form.querySelectorAll("[data-dimension-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-dimension-panel") !== wanted;
      });
    });
  });
  refresh();
})();
