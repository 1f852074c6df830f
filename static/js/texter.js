// The texts editor: insert buttons and a live preview. Without JavaScript the page lists the
// names to type, and "Förhandsgranska" shows the same preview from the server.
(function () {
  "use strict";
  var form = document.getElementById("texter");
  var data = document.getElementById("bilagans-varden");
  if (!form || !data) { return; }
  var varden = JSON.parse(data.textContent);
  var falt = form.querySelectorAll("textarea[data-forhandsvisning]");
  var senaste = falt.length ? falt[falt.length - 1] : null;

  function fyllI(text) {
    Object.keys(varden).forEach(function (namn) {
      text = text.split(namn).join(varden[namn]);
    });
    return text;
  }

  // As Django's `linebreaks`: a blank line starts a paragraph, a newline is a line break.
  function visa(textarea) {
    var mal = document.getElementById(textarea.getAttribute("data-forhandsvisning"));
    if (!mal) { return; }
    mal.textContent = "";
    fyllI(textarea.value.replace(/\r\n|\r/g, "\n")).split(/\n{2,}/).forEach(function (stycke) {
      if (!stycke.trim()) { return; }
      var p = document.createElement("p");
      stycke.split("\n").forEach(function (rad, i) {
        if (i) { p.appendChild(document.createElement("br")); }
        p.appendChild(document.createTextNode(rad));
      });
      mal.appendChild(p);
    });
  }

  Array.prototype.forEach.call(falt, function (textarea) {
    textarea.addEventListener("input", function () { visa(textarea); });
    textarea.addEventListener("focus", function () { senaste = textarea; });
  });

  Array.prototype.forEach.call(form.querySelectorAll("li[data-infoga]"), function (punkt) {
    var namn = punkt.getAttribute("data-infoga");
    var knapp = document.createElement("button");
    knapp.type = "button";
    knapp.className = "knapp knapp--sekundar";
    knapp.textContent = punkt.getAttribute("data-knapp");
    knapp.setAttribute("aria-describedby", "infoga-hjalp");
    knapp.addEventListener("click", function () {
      if (!senaste) { return; }
      var start = senaste.selectionStart, slut = senaste.selectionEnd;
      senaste.value = senaste.value.slice(0, start) + namn + senaste.value.slice(slut);
      senaste.focus();
      senaste.setSelectionRange(start + namn.length, start + namn.length);
      visa(senaste);
    });
    punkt.textContent = "";
    punkt.appendChild(knapp);
  });
})();
