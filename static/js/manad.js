// Live sums on the month form. The server computes the same on save; this is only a help.
(function () {
  "use strict";
  var form = document.getElementById("manadsform");
  if (!form) { return; }
  var KON = { kvinnor: "kvinnor", man: "män" };
  // A count as the server reads it: the digits 0–9, spaces allowed between thousands.
  // Anything else (a decimal comma, a letter) counts as 0 here; the server says what is wrong.
  function las(text) {
    var t = String(text || "").replace(/[\s\u00a0\u202f]/g, "");
    return /^[0-9]+$/.test(t) ? parseInt(t, 10) : 0;
  }
  function tal(name) {
    var el = form.elements[name];
    return el ? las(el.value) : 0;
  }
  function summa(prefix) {
    var s = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name.indexOf(prefix) === 0) { s += las(el.value); }
    });
    return s;
  }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0").replace("-", "\u2212"); }
  function visaSlut(k, m) {
    var slut = document.getElementById("slut");
    var fel = document.getElementById("slut-fel");
    if (!slut) { return; }
    slut.textContent = fmt(k + m) + " (" + fmt(k) + " kvinnor, " + fmt(m) + " män)";
    var texter = [];
    [["kvinnor", k], ["man", m]].forEach(function (par) {
      if (par[1] < 0) {
        texter.push("Pågående " + KON[par[0]] + " blir " + fmt(par[1]) +
          ": fler avslutade än det fanns deltagare att avsluta.");
      }
    });
    slut.classList.toggle("negativ", texter.length > 0);
    if (!fel) { return; }
    var nu = Array.prototype.map.call(fel.children, function (p) { return p.textContent; });
    if (nu.join("\n") === texter.join("\n")) { return; } // unchanged: nothing to announce
    fel.textContent = "";
    texter.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "fel";
      p.textContent = text;
      fel.appendChild(p);
    });
  }
  function uppdatera() {
    visaSlut(
      parseInt(form.dataset.startKvinnor, 10) + tal("nya_kvinnor") - tal("avslutade_kvinnor"),
      parseInt(form.dataset.startMan, 10) + tal("nya_man") - tal("avslutade_man")
    );
    var nya = tal("nya_kvinnor") + tal("nya_man");
    var avsl = tal("avslutade_kvinnor") + tal("avslutade_man");
    var hm = document.getElementById("summa-huvudman");
    if (hm) { hm.textContent = "Fördelat: " + fmt(summa("huvudman_")) + " av " + fmt(nya) + " nya."; }
    var av = document.getElementById("summa-avslut");
    if (av) { av.textContent = "Fördelat: " + fmt(summa("avslut_")) + " av " + fmt(avsl) + " avslutade."; }
  }
  form.addEventListener("input", uppdatera);
  uppdatera();
}());
