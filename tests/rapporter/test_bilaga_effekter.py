"""The bilaga's optional section "8 Resultat och effekter" (issue 13, point 4): off by default
(no section, no extra queries), on per förbund (`Forbund.effekter_i_bilagan`, set in the admin
through `forbund_spara`) with seed 004's Höglandet 2024 (`tests/effekter/seed004.py`) on the
report page and in the PDF; the section follows the seed 000 sections without renumbering them."""

from __future__ import annotations

import html as htmllib
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from rapporter import pdf
from rapporter.selectors import arsrapport
from registrering import services
from registrering.audit import audit_entries_for
from registrering.models import Avslutsanledning, Forbund, Verksamhetsplan
from registrering.permissions import Roll
from tests import factories as f
from tests.effekter import seed004

pytestmark = pytest.mark.django_db

AR = seed004.AR
HOG = next(d for d in seed004.SEED004 if d.kortnamn == "HÖG")


@pytest.fixture
def hoglandet() -> Forbund:
    """Höglandet's 2024: SE-Höglandet 42 of 74 to arbete/studier (goal 35 %), IT-spåret 2 of 4
    (no goal), medlemsbidrag 8 036 000 kr, the catalogue's key figures."""
    return seed004.skapa_forbund(HOG)


def _pa(forbund: Forbund) -> Forbund:
    forbund.effekter_i_bilagan = True
    forbund.save(update_fields=["effekter_i_bilagan"])
    return forbund


def _luft(text: str) -> str:
    """Every run of spaces (ordinary, no-break, narrow) as one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", htmllib.unescape(text)).strip()


def _sidan(client, forbund: Forbund) -> str:
    user = f.UserFactory(
        username="vu-hog", forbund=forbund, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
    )
    client.force_login(user)
    response = client.get(f"/rapporter/{AR}/")
    assert response.status_code == 200
    sida = response.content.decode()
    return sida[sida.index('<article class="bilaga">') : sida.index("</article>")]


def _pdfsidor(forbund: Forbund) -> list[str]:
    innehall = pdf._bygg(arsrapport(forbund=forbund, ar=AR))
    return [_luft(s.extract_text()) for s in PdfReader(io.BytesIO(innehall)).pages]


def _pdftext(forbund: Forbund) -> str:
    return " ".join(_pdfsidor(forbund))


# --- Off by default ------------------------------------------------------------------------


def test_av_som_standard_inget_avsnitt(client, hoglandet):
    assert Forbund._meta.get_field("effekter_i_bilagan").default is False
    rapport = arsrapport(forbund=hoglandet, ar=AR)
    assert rapport.effekter is None

    sida = _sidan(client, hoglandet)
    assert "Resultat och effekter" not in sida
    assert 'id="resultat' not in sida
    assert "Socioekonomisk effekt" not in sida

    text = _pdftext(hoglandet)
    assert "7 Definitioner och begrepp" in text
    assert "Resultat och effekter" not in text
    assert "Utfallsmål" not in text
    assert "8 553 600" not in text


# --- On: the section with Höglandet's figures ------------------------------------------------


def _avsnittet(sida: str) -> str:
    borjan = sida.index('<section aria-labelledby="resultat">')
    return sida[borjan : sida.index("</section>", borjan)]


def _rader(html: str, tabell: int) -> list[list[str]]:
    """The cells of each row of the section's table number `tabell` (0-based), as text."""
    table = re.findall(r"<table.*?</table>", html, re.DOTALL)[tabell]
    return [
        [_luft(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    ]


def test_pa_sidan_med_ratt_siffror(client, hoglandet):
    sida = _sidan(client, _pa(hoglandet))
    avsnitt = _avsnittet(sida)
    assert '<h2 id="resultat">8 Resultat och effekter</h2>' in avsnitt
    # Outcomes per insats: the categories in the model's order, a total row.
    assert _rader(avsnitt, 0) == [
        [
            "Insats 2024",
            "Avslutade",
            "Arbete",
            "Studier",
            "Arbetslivsinriktad rehabilitering",
            "Åter till huvudman",
            "Sjukdom",
            "Annat skäl",
        ],
        ["IT-spåret", "4", "1", "1", "0", "0", "0", "2"],
        ["SE-Höglandet", "74", "30", "12", "14", "0", "8", "10"],
        ["Totalt", "78", "31", "13", "14", "0", "8", "12"],
    ]
    # Against the goal, in words, and the effect per insats.
    assert _rader(avsnitt, 1) == [
        [
            "Insats 2024",
            "Till arbete/studier",
            "Andel av avslutade",
            "Utfallsmål",
            "Status",
            "Effekt per år",
        ],
        ["IT-spåret", "2 st", "50 %", "–", "Inget mål", "388 800 kr"],
        ["SE-Höglandet", "42 st", "57 %", "minst 35 %", "Når målet", "8 164 800 kr"],
        ["Totalt", "44 st", "56 %", "–", "–", "8 553 600 kr"],
    ]
    # The förbund's effect beside the members' contributions.
    assert _rader(avsnitt, 2) == [
        [
            "Förbund och år",
            "Till arbete/studier",
            "Effekt per år, tkr",
            "Medlemsbidrag, tkr",
            "Effekt per bidragskrona",
        ],
        ["HÖG 2024", "44 st", "8 554", "8 036", "1,06 kr"],
    ]
    text = _luft(re.sub(r"<[^>]+>", "", avsnitt))
    assert "Effekten är en uppskattning för en grupp, aldrig för en enskild person." in text
    assert (
        "Beräkning: 12 × (10 500 kr + 5 700 kr) = 194 400 kr per person och år; "
        "44 × 194 400 kr = 8 553 600 kr. "
        "8 553 600 kr ÷ 8 036 000 kr = 1,06 kr per bidragskrona." in text
    )
    assert "Nyckeltalen: standardvärdena (förbundet har inga egna nyckeltal för 2024)" in text
    # Listed in the contents after section 7, whose number stays.
    innehall = sida[sida.index('<nav class="innehall"') : sida.index("</nav>")]
    assert innehall.index("7 Definitioner och begrepp") < innehall.index(
        '<a href="#resultat">8 Resultat och effekter</a>'
    )
    assert "<dt>Socioekonomisk effekt</dt>" in sida  # the terms in section 7


def test_en_tilldelning_pa_0_kr_ger_en_mening_med_en_punkt(client, hoglandet):
    Verksamhetsplan.objects.filter(forbund=hoglandet, ar=AR).update(tilldelning=0)
    text = _luft(re.sub(r"<[^>]+>", "", _avsnittet(_sidan(client, _pa(hoglandet)))))
    assert (
        "44 × 194 400 kr = 8 553 600 kr. Tilldelningen för 2024 är 0 kr: ingen effekt per "
        "bidragskrona. "
    ) in text
    assert ".." not in text


def test_pa_i_pdf_en_med_ratt_siffror(hoglandet):
    sidor = _pdfsidor(_pa(hoglandet))
    text = " ".join(sidor)
    # Seed 000's sections keep their numbers; the new one comes last, after the abbreviations.
    for rubrik in ("6 Uppföljning av strukturövergripande insatser", "7 Definitioner och begrepp"):
        assert rubrik in text
    avsnitt = text[text.rindex("8 Resultat och effekter") :]
    assert text.index("Förkortningar") < text.rindex("8 Resultat och effekter")
    for rad in (
        "Avslutade deltagare HÖG 2024 per utfall och insats",
        "IT-spåret 4 1 1 0 0 0 2",
        "SE-Höglandet 74 30 12 14 0 8 10",
        "Totalt 78 31 13 14 0 8 12",
        "IT-spåret 2 st 50 % – Inget mål 388 800 kr",
        "SE-Höglandet 42 st 57 % minst 35 % Når målet 8 164 800 kr",
        "Totalt 44 st 56 % – – 8 553 600 kr",
        "Socioekonomisk effekt och medlemsbidrag HÖG 2024",
        "HÖG 2024 44 st 8 554 8 036 1,06 kr",
        "Effekten är en uppskattning för en grupp, aldrig för en enskild person.",
        "44 × 194 400 kr = 8 553 600 kr",
        "8 553 600 kr ÷ 8 036 000 kr = 1,06 kr per bidragskrona",
    ):
        assert rad in avsnitt, rad
    # The contents list it with its page number: the section starts a page of its own.
    sida = next(n for n, t in enumerate(sidor, 1) if t.startswith("8 Resultat och effekter"))
    innehall = rf"7 Definitioner och begrepp \.* ?\d+ .*8 Resultat och effekter \.* ?{sida}\b"
    assert re.search(innehall, sidor[1]), sidor[1]


def test_pdf_en_har_riktiga_tabeller_med_rubrikceller(hoglandet):
    """The section's three tables are tagged as tables with caption, head and header cells."""
    html = pdf.html(arsrapport(forbund=_pa(hoglandet), ar=AR), pdf=True)
    avsnitt = html[html.index('<section aria-labelledby="resultat">') :]
    tabeller = re.findall(r"<table.*?</table>", avsnitt, re.DOTALL)
    assert len(tabeller) == 3
    for tabell in tabeller:
        assert "<caption>" in tabell and "<thead>" in tabell
        assert '<th scope="col"' in tabell and '<th scope="row"' in tabell


def test_flaggan_och_siffrorna_ger_ny_pdf(hoglandet):
    """The stored PDF's name follows the section's figures: a new goal gives a new name."""
    av = pdf.lagringsnamn(arsrapport(forbund=hoglandet, ar=AR))
    pa = pdf.lagringsnamn(arsrapport(forbund=_pa(hoglandet), ar=AR))
    assert av != pa
    se = hoglandet.insatser.get(namn="SE-Höglandet")
    se.utfallsmal.filter(ar=AR).update(procent=70)
    rapport = arsrapport(forbund=hoglandet, ar=AR)
    assert rapport.effekter is not None
    assert [i.status for i in rapport.effekter.insatser] == ["Inget mål", "Når inte målet"]
    assert pdf.lagringsnamn(rapport) != pa


# --- Query counts ----------------------------------------------------------------------------


def _fragor(forbund: Forbund) -> int:
    """The report's queries with nothing kept (every year of its time series computed)."""
    forbund = Forbund.objects.get(pk=forbund.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as fragor:
        arsrapport(forbund=forbund, ar=AR)
    return len(fragor.captured_queries)


def _fler_insatser(forbund: Forbund, antal: int) -> None:
    anledningar = {a.kategori: a for a in Avslutsanledning.objects.filter(forbund=forbund)}
    for n in range(antal):
        data = seed004.Insatsdata(f"Insats {n:02}", (2, 1, 1, 0, 0), kvinnor=2, nya=3)
        seed004._skapa_insats(forbund, data, anledningar)


def test_lika_manga_fragor_for_2_och_6_insatser_och_ett_fast_tillagg_med_avsnittet(hoglandet):
    av_tva = _fragor(hoglandet)
    pa_tva = _fragor(_pa(hoglandet))
    _fler_insatser(hoglandet, 4)
    pa_sex = _fragor(hoglandet)
    hoglandet.effekter_i_bilagan = False
    hoglandet.save(update_fields=["effekter_i_bilagan"])
    av_sex = _fragor(hoglandet)

    assert av_sex == av_tva
    assert pa_sex == pa_tva
    # insatser, the year's flow, avslut per category, key figures, plan, goals
    assert pa_tva - av_tva == 6


# --- Where the flag is set -------------------------------------------------------------------


def test_flaggan_satts_i_admin_genom_tjansten(client, forbund, verksamhetsutvecklare):
    client.force_login(verksamhetsutvecklare)
    sida = reverse("admin:registrering_forbund_change", args=[forbund.pk])
    assert 'name="effekter_i_bilagan"' in client.get(sida).content.decode()
    response = client.post(
        sida,
        {
            "rapportdag": "10",
            "paminnelser_pa": "on",
            "paminnelse_dagar_fore": "3",
            "paminnelse_dagar_efter": "2",
            "sammanfattning_veckodag": "0",
            "bakgrund_text": "",
            "metod_text": "",
            "effekter_i_bilagan": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    forbund.refresh_from_db()
    assert forbund.effekter_i_bilagan
    rad = audit_entries_for(forbund).get()
    assert rad.user == verksamhetsutvecklare
    assert rad.changes == {"effekter_i_bilagan": [False, True]}


def test_styrelsen_far_inte_andra_flaggan(forbund, styrelse):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.forbund_spara(user=styrelse, forbund=forbund, varden={"effekter_i_bilagan": True})
    forbund.refresh_from_db()
    assert not forbund.effekter_i_bilagan
