"""The bilaga's charts from a small hand-made `Arsrapport`: numbering, captions, alt texts and
tables, and drawing that is deterministic, keeps SVG text as text and survives all-zero data.

No database: the report is built from the selector's dataclasses directly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from rapporter import diagram as d
from rapporter.arsdata import Andel, Arsdata, InsatsFlode
from rapporter.selectors import Arsrapport, Datakvalitet, EnkatResultat, Serie, Tidsserie
from registrering.ledger import Kon
from registrering.selectors import Datakvalitet as Datakvalitetslistor

AR = 2025
AREN = (2021, 2022, 2023, 2024, 2025)
NNBSP = "\u202f"


def _flode(insats_id: int, namn: str, ingaende: Kon, nya: Kon, avslutade: Kon) -> InsatsFlode:
    return InsatsFlode(
        insats_id=insats_id,
        namn=namn,
        grupp="Försteg" if namn.startswith("Försteg") else None,
        avslutad=False,
        ingaende=ingaende,
        ingaende_bekraftad=True,
        nya=nya,
        avslutade=avslutade,
        justering=Kon(),
        avslut_per_anledning={},
        rapporterade_manader=12,
        godkanda_manader=12,
    )


def _rapport(
    *,
    insatser: tuple[InsatsFlode, ...] | None = None,
    over_tid: Tidsserie | None = None,
    grupp: bool = True,
    enkater: tuple[EnkatResultat, ...] | None = None,
) -> Arsrapport:
    if insatser is None:
        insatser = (
            _flode(1, "Försteg Åby", Kon(700, 500), Kon(30, 4), Kon(12, 9)),
            _flode(2, "Försteg Ödeshög", Kon(5, 3), Kon(7, 8), Kon(2, 6)),
            _flode(3, "ISA Väst", Kon(0, 0), Kon(1, 2), Kon(0, 1)),
        )
    if over_tid is None:
        over_tid = Tidsserie(
            AREN,
            (
                Serie("Kvinnor", (150, 160, 170, 180, 742)),
                Serie("Män", (140, 130, 120, 110, 515)),
                Serie("Totalt", (290, 290, 290, 290, 1257)),
            ),
        )
    if enkater is None:
        enkater = (
            EnkatResultat(
                fraga="Motsvarade insatsen dina förväntningar?",
                svar=(Andel("Ja", 14, 70), Andel("Delvis", 5, 25), Andel("Nej", 1, 5)),
                malfraga=True,
                positiva=19,
            ),
            EnkatResultat(
                fraga="Skulle du rekommendera föreläsningen?",
                svar=(Andel("Ja", 1200, 96), Andel("Nej", 50, 4)),
                malfraga=False,
                positiva=1200,
            ),
        )
    data = Arsdata(
        forbund_id=1,
        forbund_namn="Samordningsförbundet Testbygden",
        kortnamn="STB",
        ar=AR,
        insatser=insatser,
        volym=(),
        huvudman=(),
        avslut_klasser=(),
        avslut_uppsattningar=(),
    )
    grupp_over_tid = Tidsserie(
        AREN,
        (
            Serie("Försteg Åby", (100, 110, 120, 130, 1234)),
            Serie("Försteg Ödeshög", (0, 0, 10, 12, 23)),
        ),
    )
    return Arsrapport(
        data=data,
        bakgrund="",
        metod="",
        sammanstallningsdatum=dt.date(2026, 1, 20),
        kommentarer=(),
        over_tid=over_tid,
        grupp_namn="Försteg" if grupp else None,
        grupp_over_tid=grupp_over_tid if grupp else None,
        enkater=enkater,
        kvalitet=Datakvalitet(
            brister=(),
            listor=Datakvalitetslistor(
                ar=AR, justeringar=(), obekraftade_balanser=(), kvar_vid_slut=()
            ),
        ),
    )


@pytest.fixture
def diagram() -> dict[int, d.Diagram]:
    return {dg.nummer: dg for dg in d.diagram_for(_rapport())}


@pytest.fixture(autouse=True)
def tom_ritcache():
    d.tom_cache()
    yield
    d.tom_cache()


# --- What the charts say -------------------------------------------------------------------


def test_diagram_1_till_5_och_ett_per_enkatfraga():
    lista = d.diagram_for(_rapport())
    assert [dg.nummer for dg in lista] == [1, 2, 3, 4, 5, 6, 7]
    assert [dg.typ for dg in lista] == ["tid", "tid", "kon", "kon", "kon", "enkat", "enkat"]
    assert [dg.bildtext for dg in lista] == [
        "Diagram 1. Deltagarutveckling i individinriktade insatser för STB under åren "
        "2021–2025 uppdelat på kön samt totalt.",
        "Diagram 2. Deltagarutveckling i förstegsinsatser under åren 2021–2025",
        "Diagram 3. Deltagare i individinsatser för STB 2025 uppdelade i kön",
        "Diagram 4. Nya deltagare i individinsatser för STB 2025",
        "Diagram 5. Avslutade deltagare i individinsatser för STB 2025",
        "Diagram 6. Motsvarade insatsen dina förväntningar? (20 svar)",
        f"Diagram 7. Skulle du rekommendera föreläsningen? (1{NNBSP}250 svar)",
    ]


def test_utan_enkater_finns_diagram_1_till_5():
    assert [dg.nummer for dg in d.diagram_for(_rapport(enkater=()))] == [1, 2, 3, 4, 5]


def test_utan_insatsgrupp_far_varje_diagram_ett_eget_nummer_i_foljd():
    lista = d.diagram_for(_rapport(grupp=False))
    assert [dg.nummer for dg in lista] == list(range(1, len(lista) + 1))
    assert [dg.typ for dg in lista][:4] == ["tid", "kon", "kon", "kon"]
    assert lista[3].bildtext.startswith("Diagram 4. Avslutade deltagare")


def test_konsdiagrammens_alt_text_och_tabell_har_siffrorna(diagram):
    totalt, nya, avslutade = diagram[3], diagram[4], diagram[5]
    assert totalt.alt == (
        "Liggande stapeldiagram per insats, kvinnor och män. "
        "Försteg Åby: 730 kvinnor, 504 män; Försteg Ödeshög: 12 kvinnor, 11 män; "
        "ISA Väst: 1 kvinnor, 2 män."
    )
    assert totalt.tabell == d.Tabell(
        ("Insats", "Kvinnor", "Män", "Totalt"),
        (
            ("Försteg Åby", "730", "504", f"1{NNBSP}234"),
            ("Försteg Ödeshög", "12", "11", "23"),
            ("ISA Väst", "1", "2", "3"),
        ),
    )
    assert "Försteg Åby: 30 kvinnor, 4 män" in nya.alt
    assert "Försteg Ödeshög: 2 kvinnor, 6 män" in avslutade.alt
    assert totalt.kategorier == ("Försteg Åby", "Försteg Ödeshög", "ISA Väst")
    assert totalt.serier == (("Kvinnor", (730, 12, 1)), ("Män", (504, 11, 2)))


def test_tidsdiagrammens_alt_text_och_tabell_har_siffrorna(diagram):
    assert diagram[1].alt.startswith("Stapeldiagram över deltagare per år. Kvinnor: 2021 150, ")
    assert f"Totalt: 2021 290, 2022 290, 2023 290, 2024 290, 2025 1{NNBSP}257." in diagram[1].alt
    assert diagram[1].tabell.rubriker == ("År", "Kvinnor", "Män", "Totalt")
    assert diagram[1].tabell.rader[-1] == ("2025", "742", "515", f"1{NNBSP}257")
    assert "i varje insats i gruppen Försteg" in diagram[2].alt
    assert f"Försteg Åby: 2021 100, 2022 110, 2023 120, 2024 130, 2025 1{NNBSP}234" in (
        diagram[2].alt
    )
    assert diagram[2].tabell.rubriker == ("År", "Försteg Åby", "Försteg Ödeshög")


def test_enkatdiagrammens_alt_text_och_tabell_har_siffrorna(diagram):
    assert diagram[6].alt == (
        "Liggande stapeldiagram över svaren, 20 svar: Ja 14 (70 %); Delvis 5 (25 %); Nej 1 (5 %)."
    )
    assert diagram[6].tabell == d.Tabell(
        ("Svar", "Antal", "Andel"),
        (("Ja", "14", "70\u00a0%"), ("Delvis", "5", "25\u00a0%"), ("Nej", "1", "5\u00a0%")),
    )
    assert f"Ja 1{NNBSP}200 (96 %)" in diagram[7].alt


def test_tal_har_smalt_hardmellanslag():
    assert [d.tal(v) for v in (0, 999, 1873, 1234567)] == [
        "0",
        "999",
        f"1{NNBSP}873",
        f"1{NNBSP}234{NNBSP}567",
    ]


# --- How they are drawn --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_samma_data_ger_samma_bytes(diagram, fmt):
    forsta = {nr: d.rendera(dg, fmt) for nr, dg in diagram.items()}
    d._rendera_cachad.cache_clear()
    # An equal report built anew, so that nothing is shared but the data.
    andra = {dg.nummer: d.rendera(dg, fmt) for dg in d.diagram_for(_rapport())}
    assert d._rendera_cachad.cache_info().hits == 0
    assert forsta == andra
    signatur = b"<svg" if fmt == "svg" else b"\x89PNG"
    assert all(signatur in innehall[:400] for innehall in forsta.values())


def test_samma_diagram_ritas_en_gang(diagram):
    d.rendera(diagram[3], "png")
    d.rendera(d.diagram_for(_rapport())[2], "png")  # an equal chart from a new report
    info = d._rendera_cachad.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    d.rendera(diagram[3], "svg")
    d.rendera(dataclasses.replace(diagram[3], serier=(("Kvinnor", (1, 2, 3)),)), "png")
    assert d._rendera_cachad.cache_info().misses == 3


def test_svg_behaller_text_som_text_och_saknar_datum(diagram):
    svg = d.rendera(diagram[3], "svg").decode()
    texter = [
        re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    ]
    for namn in ("Försteg Åby", "Försteg Ödeshög", "ISA Väst", "Kvinnor", "Män"):
        assert namn in texter, (namn, texter)
    assert f"1{NNBSP}234" not in texter  # values are per gender, not totals
    assert "730" in texter
    assert "<dc:date>" not in svg
    assert not re.search(r"20\d\d-\d\d-\d\dT", svg)
    assert "font-family" in svg or "font:" in svg


def test_png_saknar_tidsstampel(diagram):
    png = d.rendera(diagram[1], "png")
    assert b"Software" not in png
    assert b"Creation Time" not in png


def test_data_uri(diagram):
    assert d.data_uri(diagram[4], "png").startswith("data:image/png;base64,iVBORw0KGgo")
    assert d.data_uri(diagram[4]).startswith("data:image/svg+xml;base64,")
    uris = d.rendera_alla(list(diagram.values()), "svg")
    assert sorted(uris) == [1, 2, 3, 4, 5, 6, 7]


def _nollor() -> Arsrapport:
    noll = Kon()
    return _rapport(
        insatser=(
            _flode(1, "Försteg Åby", noll, noll, noll),
            _flode(2, "ISA Väst", noll, noll, noll),
        ),
        over_tid=Tidsserie(
            AREN, tuple(Serie(namn, (0,) * 5) for namn in ("Kvinnor", "Män", "Totalt"))
        ),
        enkater=(
            EnkatResultat(
                fraga="Nöjd?",
                svar=(Andel("Ja", 0, 0), Andel("Nej", 0, 0)),
                malfraga=False,
                positiva=0,
            ),
        ),
    )


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_diagram_med_bara_nollor_ritas(fmt):
    for dg in d.diagram_for(_nollor()):
        innehall = d.rendera(dg, fmt)
        assert len(innehall) > 500, dg.nummer


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_diagram_utan_insatser_ritas(fmt):
    rapport = _rapport(insatser=(), enkater=())
    lista = d.diagram_for(rapport)
    assert [dg.nummer for dg in lista] == [1, 2, 3, 4, 5]
    for dg in lista:
        assert d.rendera(dg, fmt)


# --- Many insatser: grouped, legible, every value in the table ------------------------------


def _manga(antal: int) -> Arsrapport:
    """`antal` insatser, insats i with i + 1 kvinnor and 1 man, one of them without the split."""
    insatser = tuple(
        _flode(i, f"Insats {i:03}", Kon(i + 1, 1), Kon(1, 0), Kon(0, 1)) for i in range(antal)
    )
    utan_kon = dataclasses.replace(insatser[0], ingaende=Kon(utan_kon=5))
    return _rapport(insatser=(utan_kon, *insatser[1:]), enkater=())


def test_med_fler_insatser_an_ryms_visas_de_storsta_och_ovriga_som_en_stapel():
    lista = d.diagram_for(_manga(40))
    totalt, nya, avslutade = (dg for dg in lista if dg.typ == "kon")
    storsta = tuple(f"Insats {i:03}" for i in range(26, 40))  # the 14 with most deltagare
    for dg in (totalt, nya, avslutade):
        assert len(dg.kategorier) == d.MAX_INSATSER == 15
        assert dg.kategorier == (*storsta, "Övriga 26 insatser")
        assert dg.rubrik.endswith(" – de 14 största insatserna, övriga 26 sammanslagna")
        assert len(dg.tabell.rader) == 40  # the table holds every insats
        assert "Övriga 26 insatser:" in dg.alt
    # Övriga holds insats 000 without the split: its bar is a total, not kvinnor and män.
    serier = dict(totalt.serier)
    assert serier["Kvinnor"][-1] is None and serier["Män"][-1] is None
    assert serier[d.UTAN_KON][-1] == 6 + sum(i + 3 for i in range(1, 26))
    assert dict(nya.serier)["Kvinnor"] == (*(1,) * 14, 26)  # Övriga: 26 × 1
    assert totalt.tabell.rader[0] == ("Insats 000", "–", "–", "6")
    assert d.bildstorlek(totalt)[1] <= 9 * 96


def test_femton_insatser_ritas_var_for_sig():
    lista = d.diagram_for(_manga(15))
    assert all(len(dg.kategorier) == 15 for dg in lista if dg.typ == "kon")
    assert not any("Övriga" in k for dg in lista for k in dg.kategorier)


def test_insatsgruppen_over_tid_visar_de_storsta_och_ovriga():
    grupp = Tidsserie(
        (2024, 2025),
        tuple(Serie(f"Försteg {i}", (i, None if i == 0 else 10 * i)) for i in range(9)),
    )
    rapport = dataclasses.replace(_rapport(), grupp_over_tid=grupp)
    diagram_2 = d.diagram_for(rapport)[1]
    assert [namn for namn, _v in diagram_2.serier] == [
        *(f"Försteg {i}" for i in range(4, 9)),
        "Övriga 4 insatser",
    ]
    assert diagram_2.serier[-1][1] == (0 + 1 + 2 + 3, 10 + 20 + 30)
    assert diagram_2.rubrik.endswith(" – de 5 största insatserna, övriga 4 sammanslagna")
    # The table turns: a row per insats, a column per year, every value.
    assert diagram_2.tabell.rubriker == ("Insats", "2024", "2025")
    assert diagram_2.tabell.rader[0] == ("Försteg 0", "0", "–")
    assert len(diagram_2.tabell.rader) == 9


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_fast_layout_utan_automatik(diagram, fmt, monkeypatch):
    """Margins are computed, not searched for: no layout engine runs when a chart is drawn."""
    figurer = []
    riktig = d._rita
    monkeypatch.setattr(d, "_rita", lambda dg: figurer.append(riktig(dg)) or figurer[-1])
    for dg in d.diagram_for(_manga(40)):
        d.rendera(dg, fmt)
    assert figurer and all(f.get_layout_engine() is None for f in figurer)


def test_png_har_utskriftens_upplosning_utan_alfakanal(diagram):
    png = d.rendera(diagram[1], "png")
    bredd = int.from_bytes(png[16:20], "big")
    assert abs(bredd - 7.2 * d.PDF_DPI) < 1  # ~150 dots per printed inch
    assert png[25] == 2  # colour type 2: RGB, no alpha channel for WeasyPrint to split off
