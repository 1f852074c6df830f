// The page shown while a PDF is built in the background (the bilaga, the Indikatorer report):
// asks again every few seconds and shows the answer in place (the status line is a live region,
// so it is read out), then starts the download. Without JavaScript a meta refresh in <noscript>
// reloads the page instead.
(function () {
  "use strict";
  var ruta = document.getElementById("bygge");
  if (!ruta || (ruta.dataset.tillstand !== "ko" && ruta.dataset.tillstand !== "bygger")) { return; }
  var vanta = parseInt(ruta.dataset.intervall, 10) * 1000;

  function visa(ny) {
    ["bygge-rubrik", "bygge-lage", "bygge-mer"].forEach(function (id) {
      var gammal = document.getElementById(id);
      var fran = ny.getElementById(id);
      if (gammal && fran && gammal.innerHTML !== fran.innerHTML) { gammal.innerHTML = fran.innerHTML; }
    });
    document.title = ny.title;
  }

  function fraga() {
    fetch(ruta.dataset.fraga, { credentials: "same-origin", cache: "no-store" })
      .then(function (svar) { return svar.text(); })
      .then(function (text) {
        var ny = new DOMParser().parseFromString(text, "text/html");
        var nyRuta = ny.getElementById("bygge");
        if (!nyRuta) {
          // Not our page (logged out, say): let the browser show whatever it is.
          window.location.assign(ruta.dataset.fraga);
          return;
        }
        visa(ny);
        ruta.dataset.tillstand = nyRuta.dataset.tillstand;
        if (nyRuta.dataset.tillstand === "klar") {
          window.location.assign(nyRuta.dataset.adress);
        } else if (nyRuta.dataset.tillstand !== "fel") {
          window.setTimeout(fraga, vanta);
        }
      })
      .catch(function () { window.setTimeout(fraga, vanta * 2); });
  }

  window.setTimeout(fraga, vanta);
})();
