/* Acus: an optional drawn signature. Pointer strokes on a <canvas> become an SVG of
   paths in the hidden signature_svg field. Without JavaScript the canvas stays hidden and
   the typed name alone is the signature. */
(function () {
  "use strict";
  var box = document.querySelector("[data-signature]");
  if (!box) return;
  var canvas = box.querySelector("canvas");
  var field = box.querySelector("textarea");
  var clear = box.querySelector("[data-signature-clear]");
  if (!canvas || !field || !canvas.getContext) return;
  var pen = canvas.getContext("2d");
  var W = canvas.width, H = canvas.height;
  var strokes = [];
  var current = null;

  box.hidden = false;
  pen.lineWidth = 2.5;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.strokeStyle = "#1b1f23";

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    var x = (event.clientX - rect.left) * (W / rect.width);
    var y = (event.clientY - rect.top) * (H / rect.height);
    return [Math.round(Math.min(Math.max(x, 0), W) * 10) / 10, Math.round(Math.min(Math.max(y, 0), H) * 10) / 10];
  }

  function draw() {
    pen.clearRect(0, 0, W, H);
    strokes.forEach(function (stroke) {
      pen.beginPath();
      stroke.forEach(function (p, i) { if (i === 0) pen.moveTo(p[0], p[1]); else pen.lineTo(p[0], p[1]); });
      if (stroke.length === 1) pen.lineTo(stroke[0][0] + 0.1, stroke[0][1]);
      pen.stroke();
    });
  }

  function save() {
    var paths = strokes.map(function (stroke) {
      var d = stroke.map(function (p, i) { return (i === 0 ? "M" : "L") + p[0] + " " + p[1]; }).join(" ");
      if (stroke.length === 1) d += " L" + (stroke[0][0] + 0.1) + " " + stroke[0][1];
      return '<path d="' + d + '"/>';
    });
    field.value = strokes.length
      ? '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + " " + H + '">' +
        paths.join("") + "</svg>"
      : "";
  }

  function load() {
    // After a page comes back with an error, show the drawing that is still in the field.
    var found = field.value.match(/d="[^"]*"/g) || [];
    strokes = found.map(function (attr) {
      return (attr.slice(3, -1).match(/-?[\d.]+\s+-?[\d.]+/g) || []).map(function (pair) {
        var xy = pair.trim().split(/\s+/);
        return [parseFloat(xy[0]), parseFloat(xy[1])];
      });
    }).filter(function (stroke) { return stroke.length; });
    draw();
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    draw();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!current) return;
    var p = point(event), last = current[current.length - 1];
    if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) < 2) return;
    current.push(p);
    draw();
  });
  function end() {
    if (!current) return;
    current = null;
    save();
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  if (clear) clear.addEventListener("click", function () { strokes = []; draw(); save(); });
  load();
})();
