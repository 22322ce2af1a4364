/* Acus: count down the time a slot stays held. Without JavaScript the page states the
   end time in words; the server decides in any case. */
(function () {
  "use strict";
  var box = document.querySelector("[data-hold-expires]");
  if (!box) return;
  var ends = Date.parse(box.getAttribute("data-hold-expires"));
  var left = box.querySelector("[data-hold-left]");
  var gone = box.querySelector("[data-hold-gone]");
  if (isNaN(ends) || !left || !gone) return;

  function tick() {
    var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
    if (seconds === 0) {
      left.textContent = "";
      gone.setAttribute("role", "alert");
      gone.hidden = false;
      return;
    }
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    // gettext and interpolate come from Django's JavaScript catalogue (/jsi18n/, loaded by base.html).
    left.textContent = interpolate(
      gettext("Time left: %(minutes)s min %(seconds)s s"),
      { minutes: minutes, seconds: (rest < 10 ? "0" : "") + rest },
      true
    );
    window.setTimeout(tick, 1000);
  }
  tick();
})();
