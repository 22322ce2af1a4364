// Shows the emergency advice as soon as a red-flag symptom is ticked.
// The page works without this: the advice also follows the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-red-flags]");
  var advice = document.getElementById("emergency-advice");
  if (!form || !advice) {
    return;
  }
  var flags = form.getAttribute("data-red-flags").split(" ");

  function update() {
    var flagged = flags.some(function (value) {
      var box = form.querySelector('input[type="checkbox"][value="' + value + '"]');
      return box && box.checked;
    });
    advice.hidden = !flagged;
  }

  form.addEventListener("change", update);
  update();
})();
