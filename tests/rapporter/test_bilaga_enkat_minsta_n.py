"""The bilaga §6 under the minimum n: a training question with fewer answers than
FINSAM_ENKAT_MIN_N shows "För få svar för att redovisas" and no count, share or chart, on the
page and in the PDF; the other questions keep their charts in order."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from rapporter import diagram as d
from rapporter import pdf
from rapporter.selectors import arsrapport
from registrering.models import Enkatfraga, Enkatsvar, Enkattillfalle, Svarsalternativ
from tests.rapporter.test_views import AR, grund, lagg_till_insatser

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(forbund):
    lagg_till_insatser(forbund, grund(forbund), 0, 2)  # the expectations question: 20 answers
    fraga = Enkatfraga.objects.create(forbund=forbund, text="Lärde du dig något nytt?", ordning=5)
    ja = Svarsalternativ.objects.create(fraga=fraga, text="Ja", ordning=0, positivt=True)
    nej = Svarsalternativ.objects.create(fraga=fraga, text="Nej", ordning=1)
    tillfalle = Enkattillfalle.objects.create(
        forbund=forbund, namn="Liten kurs", datum=dt.date(AR, 9, 3)
    )
    Enkatsvar.objects.create(tillfalle=tillfalle, alternativ=ja, antal=2)
    Enkatsvar.objects.create(tillfalle=tillfalle, alternativ=nej, antal=1)


def test_fraga_med_for_fa_svar_redovisas_inte(client, data, forbund, verksamhetsutvecklare):
    rapport = arsrapport(forbund=forbund, ar=AR)
    liten = next(e for e in rapport.enkater if e.fraga == "Lärde du dig något nytt?")
    assert liten.for_fa and liten.svar == () and liten.diagram is None
    stor = next(e for e in rapport.enkater if e.malfraga)
    assert not stor.for_fa and stor.antal_svar == 20 and stor.diagram == 0
    enkatdiagram = [dg for dg in d.diagram_for(rapport) if dg.typ == "enkat"]
    assert [dg.rubrik for dg in enkatdiagram] == [
        "Motsvarade insatsen dina förväntningar? (20 svar)"
    ]

    client.force_login(verksamhetsutvecklare)
    sida = client.get(f"/rapporter/{AR}/").content.decode()
    avsnitt = sida[sida.index('id="struktur"') :]
    avsnitt = avsnitt[: avsnitt.index("</section>")]
    assert "Lärde du dig något nytt?" in avsnitt
    assert "För få svar för att redovisas." in avsnitt
    assert "3 svar" not in avsnitt
    assert "20 svar" in avsnitt


def test_pdf_redovisar_inte_for_fa_svar(data, forbund, settings):
    text = "\n".join(
        s.extract_text()
        for s in PdfReader(
            io.BytesIO(pdf.rendera(arsrapport(forbund=forbund, ar=AR)).innehall)
        ).pages
    )
    assert "För få svar för att redovisas." in text
    assert "(3 svar)" not in text

    settings.FINSAM_ENKAT_MIN_N = 3  # the setting decides
    rapport = arsrapport(forbund=forbund, ar=AR)
    assert not next(e for e in rapport.enkater if e.fraga.startswith("Lärde")).for_fa
