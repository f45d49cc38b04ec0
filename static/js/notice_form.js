// The new-notice form: show only the fields that apply to the chosen
// scope, receipt type and sending time. Without JavaScript every field
// shows and the server ignores those that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("[data-notice-form]");
  if (!form) return;
  var parts = form.querySelectorAll("[data-when]");

  function valueOf(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var field = form.querySelector('[name="' + name + '"]');
    return field ? field.value : "";
  }

  function update() {
    parts.forEach(function (part) {
      var rule = part.getAttribute("data-when").split(":");
      part.hidden = rule[1].split(",").indexOf(valueOf(rule[0])) === -1;
    });
  }

  form.addEventListener("change", update);
  update();
})();
