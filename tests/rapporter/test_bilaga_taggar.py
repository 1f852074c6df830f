"""The bilaga's rows built by filters (`rapporter.templatetags.bilaga`, `tabellrader`) give the
markup the template loops gave: the same escaping, numbers, marks and "–"."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template

from rapporter.arsdata import InsatsFlode, VolymRad
from registrering.ledger import Kon

SAMFINANSIERAD = (
    '{% with m=r.samfinansiering.markeringar|get_item:id %}{% if m %}<span class="samfinansierad">'
    ", {{ m }}</span>{% endif %}{% endwith %}"
)
# The loops the filters replaced, with `_samfinansierad.html` written out.
FLODE_FORR = (
    '{% load finsam %}{% for i in a.insatser %}\n      <tr><th scope="row">{{ i.namn }}'
    "{% with id=i.insats_id %}" + SAMFINANSIERAD + "{% endwith %}</th>"
    '<td class="tal">{{ i.deltagare_totalt.totalt|st }}</td><td class="tal">{{ i.nya.totalt|st }}'
    '</td><td class="tal">{{ i.avslutade.totalt|st }}</td>'
    '<td class="tal">{% if i.pagaende is None %}'
    '<span aria-label="avslutad insats">–</span>{% else %}{{ i.pagaende.totalt|st }}{% endif %}'
    "</td></tr>\n    {% endfor %}"
)
VOLYM_FORR = (
    '{% load finsam %}{% for v in a.volym %}\n      <tr><th scope="row">{{ v.namn }}'
    "{% with id=v.insats_id %}" + SAMFINANSIERAD + "{% endwith %}</th><td>{{ v.enhet_etikett }}"
    '</td><td class="tal">{% if v.inriktning == "struktur" %}{{ v.volym|tal }}{% endif %}</td>'
    '<td class="tal">{% if v.inriktning == "individ" %}{{ v.volym|tal }}{% endif %}</td></tr>\n'
    "    {% endfor %}"
)


def _flode(insats_id: int, namn: str, *, avslutad: bool) -> InsatsFlode:
    return InsatsFlode(
        insats_id=insats_id,
        namn=namn,
        grupp=None,
        avslutad=avslutad,
        ingaende=Kon(1200, 34),
        ingaende_bekraftad=True,
        nya=Kon(3, 4),
        avslutade=Kon(2, 1),
        justering=Kon(),
        avslut_per_anledning={},
        rapporterade_manader=12,
        godkanda_manader=12,
    )


def _volym(insats_id: int, namn: str, inriktning: str) -> VolymRad:
    return VolymRad(
        insats_id=insats_id,
        namn=namn,
        enhet="tillfallen",
        enhet_namn="Tillfällen",
        inriktning=inriktning,
        volym=12345,
        rapporterade_manader=12,
        godkanda_manader=12,
    )


def _kontext() -> dict[str, object]:
    r = SimpleNamespace(
        samfinansiering=SimpleNamespace(markeringar={1: "samfinansierad med A & B (25 %)"})
    )
    a = SimpleNamespace(
        insatser=(_flode(1, "Steg <1> & co", avslutad=False), _flode(2, "Klar", avslutad=True)),
        volym=(_volym(1, "Öppet hus", "struktur"), _volym(3, 'Kurs "1"', "individ")),
    )
    return {"r": r, "a": a}


def test_flodesraderna_som_mallens_slinga():
    kontext = Context(_kontext())
    forr = Template(FLODE_FORR).render(kontext)
    nu = Template("{% load bilaga %}{{ a.insatser|flodesrader:r }}").render(kontext)
    assert nu == forr
    assert "Steg &lt;1&gt; &amp; co" in nu and "A &amp; B" in nu and "avslutad insats" in nu


def test_volymraderna_som_mallens_slinga():
    kontext = Context(_kontext())
    forr = Template(VOLYM_FORR).render(kontext)
    nu = Template("{% load bilaga %}{{ a.volym|volymrader:r }}").render(kontext)
    assert nu == forr
    assert "12\xa0345" in nu


def test_diagramtabellens_utskriftsrader_som_mallens_slinga():
    rader = (("Insats <A>", "1\xa0234", "–"), ("B & C", "0", "5"))
    forr = Template(
        "{% for rad in rader %}<tr>{% for c in rad %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}"
    ).render(Context({"rader": rader}))
    nu = Template('{% load finsam %}{{ rader|tabellrader:"utskrift" }}').render(
        Context({"rader": rader})
    )
    assert nu == forr


def test_diagramtabellens_bada_kroppar_som_tabellrader():
    """`tabellkroppar` (the report page's charts: screen and print from one escaping) gives
    exactly what `tabellrader` gives for each, an empty row and markup in a cell included."""
    from registrering.templatetags.finsam import tabellkroppar, tabellrader

    rader = (("<b>&", "1\xa0234", "–"), (), ('"x"', "0"))
    skarm, utskrift = tabellkroppar(rader)
    assert (skarm, utskrift) == (tabellrader(rader), tabellrader(rader, "utskrift"))
    assert skarm == (
        '<tr><th scope="row">&lt;b&gt;&amp;</th><td class="tal">1\xa0234</td>'
        '<td class="tal">–</td></tr><tr><th scope="row">&quot;x&quot;</th>'
        '<td class="tal">0</td></tr>'
    )
    assert utskrift.count("<tr>") == 3
