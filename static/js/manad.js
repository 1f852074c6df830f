// Live sums on the month form. The server computes the same on save; this is only a help.
(function () {
  "use strict";
  var form = document.getElementById("manadsform");
  if (!form) { return; }
  function tal(name) {
    var el = form.elements[name];
    var v = el ? parseInt(el.value, 10) : 0;
    return isNaN(v) ? 0 : v;
  }
  function summa(prefix) {
    var s = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name.indexOf(prefix) === 0) {
        var v = parseInt(el.value, 10);
        if (!isNaN(v)) { s += v; }
      }
    });
    return s;
  }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0").replace("-", "\u2212"); }
  function uppdatera() {
    var k = parseInt(form.dataset.startKvinnor, 10) + tal("nya_kvinnor") - tal("avslutade_kvinnor");
    var m = parseInt(form.dataset.startMan, 10) + tal("nya_man") - tal("avslutade_man");
    var slut = document.getElementById("slut");
    if (slut) { slut.textContent = fmt(k + m) + " (" + fmt(k) + " kvinnor, " + fmt(m) + " män)"; }
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
