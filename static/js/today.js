// Keyboard shortcuts on the Today page: c, a and t press the three quick-log buttons.
(function () {
  "use strict";
  var shortcuts = { c: "log-call", a: "log-appointment", t: "log-thank-you" };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      if (!(target.type === "radio" || target.type === "checkbox")) return;
    }
    var id = shortcuts[event.key];
    var button = id && document.getElementById(id);
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();
