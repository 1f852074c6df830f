"""The joint report's PDF goes the bilaga's way (samverkan/pdf.py, samverkan/tasks.py,
rapporter.views.pdf_svar): built once by the task queue, stored under a name derived from the
report's data in the group's own folder, served from storage afterwards; a waiting page while it
is built, a failure page with "Försök igen".

Builds run in the request in the tests (`FINSAM_BYGG_I_BAKGRUNDEN = False`) unless a test takes
the queue (`ko`, which keeps what is submitted until the test runs it). The WeasyPrint step is
replaced by a stub that counts its calls; tests/samverkan/test_vyer.py reads a real PDF."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db.models import F

from finsam import uppgifter
from rapporter import lagring, views
from registrering.demodata import samverkan as demo
from registrering.models import Forbundsgrupp, Manadsrapport, Verksamhetsplan
from samverkan import pdf
from samverkan.selectors import samverkansrapport
from samverkan.tasks import bygg_rapport
from tests.rapporter.test_vantan import Ko, meta_refresh, soppa

pytestmark = pytest.mark.django_db

PDF_URL = "/samverkan/jonkopings-lan/2024/pdf/"
SIDA = "/samverkan/jonkopings-lan/2024/"
BYGGER = "Den gemensamma rapporten byggs – det tar några sekunder"


def pdf_for(rapport) -> bytes:
    """What the stub builds: the group and one figure of the report, so that other data gives
    other bytes."""
    return f"%PDF-1.7 {rapport.grupp_kortnamn} {rapport.nya.totalt}".encode()


@pytest.fixture(autouse=True)
def byggen(monkeypatch) -> list[str]:
    """Every call of the WeasyPrint step, by group (the cache emptied first)."""
    cache.clear()
    anrop: list[str] = []

    def bygg(rapport):
        anrop.append(rapport.grupp_kortnamn)
        return pdf_for(rapport)

    monkeypatch.setattr(pdf, "_bygg", bygg)
    return anrop


@pytest.fixture
def ko(settings, monkeypatch) -> Ko:
    settings.FINSAM_BYGG_I_BAKGRUNDEN = True
    kon = Ko()
    monkeypatch.setattr(uppgifter, "_traadpool", lambda: kon)
    return kon


@pytest.fixture
def grupp() -> Forbundsgrupp:
    return demo.ladda_grupp()


@pytest.fixture
def samordnare(grupp, client):
    user = grupp.samordnare.get()
    client.force_login(user)
    return user


def _rapport(grupp):
    return samverkansrapport(grupp=grupp, ar=2024)


def _lagrade() -> list[str]:
    """Every stored file, as its name in the storage."""
    rot = lagring.lagring().path("")
    return sorted(
        os.path.relpath(os.path.join(mapp, fil), rot)
        for mapp, _, filer in os.walk(rot)
        for fil in filer
    )


def _aldra(namn: str) -> None:
    """Make a stored file an hour old (older than `lagring.BEHALL_GAMLA`)."""
    forr = (dt.datetime.now() - dt.timedelta(hours=1)).timestamp()
    os.utime(lagring.lagring().path(namn), (forr, forr))


def _godkand_manad(grupp, kortnamn: str) -> Manadsrapport:
    return (
        Manadsrapport.objects.filter(
            insats__forbund__in=grupp.forbund.filter(kortnamn=kortnamn),
            ar=2024,
            status=Manadsrapport.Status.GODKAND,
        )
        .order_by("pk")
        .first()
    )


# --- Stored, and served from storage ---------------------------------------------------------


def test_byggd_pdf_lagras_i_gruppens_mapp_och_nasta_hamtning_bygger_inte(
    grupp, client, samordnare, byggen
):
    forsta = client.get(PDF_URL)

    assert forsta.status_code == 200
    assert forsta["Content-Type"] == "application/pdf"
    assert (
        forsta["Content-Disposition"] == 'attachment; filename="Samverkan-jonkopings-lan-2024.pdf"'
    )
    assert forsta["Cache-Control"] == "private, no-store"
    assert forsta.content == pdf_for(_rapport(grupp))
    namn = pdf.lagringsnamn(_rapport(grupp))
    assert namn.rpartition("/")[0] == "grupper/jonkopings-lan/2024"
    assert _lagrade() == [namn]
    assert byggen == ["jonkopings-lan"]

    andra = client.get(PDF_URL)

    assert andra.status_code == 200
    assert andra.content == forsta.content
    assert byggen == ["jonkopings-lan"]  # read from storage, not built again


@pytest.mark.parametrize("kortnamn", ["SÖV", "FIN", "HÖG"])
def test_andrade_godkanda_siffror_i_ett_forbund_ger_ett_nytt_namn_och_ett_nytt_bygge(
    grupp, client, samordnare, byggen, kortnamn
):
    """Any förbund of the group: one more new participant in an approved month of its own."""
    client.get(PDF_URL)
    forra = pdf.lagringsnamn(_rapport(grupp))
    assert pdf.lagringsnamn(_rapport(grupp)) == forra  # the same data, the same name
    _aldra(forra)

    Manadsrapport.objects.filter(pk=_godkand_manad(grupp, kortnamn).pk).update(
        nya_kvinnor=F("nya_kvinnor") + 1
    )

    nytt = pdf.lagringsnamn(_rapport(grupp))
    assert nytt != forra
    assert nytt.rpartition("/")[0] == forra.rpartition("/")[0]
    assert not pdf.finns(_rapport(grupp))
    svar = client.get(PDF_URL)
    assert svar.content == pdf_for(_rapport(grupp)) != lagring.las(forra)
    assert byggen == ["jonkopings-lan", "jonkopings-lan"]
    assert _lagrade() == [nytt]  # the older version beside it is cleared out


def test_andrat_medlemsbidrag_ger_ett_nytt_namn(grupp, samordnare):
    forra = pdf.lagringsnamn(_rapport(grupp))
    Verksamhetsplan.objects.filter(forbund__kortnamn="FIN", ar=2024).update(
        tilldelning=F("tilldelning") + 1000
    )
    assert pdf.lagringsnamn(_rapport(grupp)) != forra


def test_en_ny_pdf_version_ger_ett_nytt_namn(grupp, monkeypatch):
    forra = pdf.lagringsnamn(_rapport(grupp))
    monkeypatch.setattr(pdf, "PDF_VERSION", pdf.PDF_VERSION + "-ny")
    assert pdf.lagringsnamn(_rapport(grupp)) != forra


def test_egen_mapp_en_forbunds_bilaga_ror_den_inte(grupp, samordnare, client):
    """`lagring.spara` clears out the older files of the folder it writes to: a förbund's new
    bilaga must leave the joint report alone."""
    client.get(PDF_URL)
    namn = pdf.lagringsnamn(_rapport(grupp))
    _aldra(namn)
    hog = grupp.forbund.get(kortnamn="HÖG")
    bilaga = f"{hog.pk}/2024/{'0' * 64}.pdf"

    lagring.spara(bilaga, b"%PDF bilaga")

    assert _lagrade() == sorted([bilaga, namn])


# --- Built in the background: the waiting page, the failure page ------------------------------


def test_kall_pdf_ger_en_vantesida_och_sedan_pdf(grupp, client, samordnare, ko, byggen):
    response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in response
    sidan = soppa(response)
    assert sidan.en("h1").text == BYGGER
    assert sidan.en("title").text.startswith("Den gemensamma rapporten byggs – Jönköpings län 2024")
    assert "Den gemensamma rapporten står i kö" in sidan.en("p", role_="status").text
    # Without JavaScript the page asks again by itself.
    assert meta_refresh(response) == f"{views.VANTA_SEKUNDER}; url={PDF_URL}?vantat=1"
    assert sidan.lank("fråga igen nu") == f"{PDF_URL}?vantat=1"
    assert sidan.lank("rapportsidan för 2024") == SIDA
    assert sidan.lank("← Jönköpings län 2024") == SIDA
    assert byggen == []
    # A second request joins the queued build.
    assert soppa(client.get(f"{PDF_URL}?vantat=1")).en("h1").text == BYGGER
    assert len(ko.jobb) == 1

    ko.kor()

    klar = client.get(f"{PDF_URL}?vantat=1")
    assert klar.status_code == 200
    assert soppa(klar).en("h1").text == "Den gemensamma rapporten är klar"
    assert meta_refresh(klar) == f"0; url={PDF_URL}"
    assert soppa(klar).lank("Ladda ned Samverkan-jonkopings-lan-2024.pdf") == PDF_URL
    pdf_svar = client.get(PDF_URL)
    assert pdf_svar["Content-Type"] == "application/pdf"
    assert pdf_svar.content == pdf_for(_rapport(grupp))
    assert byggen == ["jonkopings-lan"]
    assert ko.jobb == []


def test_misslyckat_bygge_ger_felsida_med_forsok_igen(
    grupp, client, samordnare, ko, monkeypatch, caplog
):
    def trasig(rapport):
        raise RuntimeError("WeasyPrint föll")

    monkeypatch.setattr(pdf, "_bygg", trasig)
    client.get(PDF_URL)
    with caplog.at_level(logging.ERROR, logger="rapporter.bakgrund"):
        ko.kor()
    assert "WeasyPrint föll" in caplog.text

    for adress in (PDF_URL, f"{PDF_URL}?vantat=1"):
        response = client.get(adress)
        assert response.status_code == 500
        sidan = soppa(response)
        assert sidan.en("h1").text == "Den gemensamma rapporten kunde inte byggas"
        assert (
            "Något gick fel när PDF:en för 2024 skulle byggas" in sidan.en("p", role_="status").text
        )
        assert sidan.lank("Försök igen") == f"{PDF_URL}?igen=1"
        assert sidan.lank("rapportsidan för 2024") == SIDA
        assert meta_refresh(response) is None  # it does not retry by itself
    assert ko.jobb == []

    monkeypatch.setattr(pdf, "_bygg", lambda rapport: b"%PDF igen")
    igen = client.get(f"{PDF_URL}?igen=1")
    assert igen.status_code == 200
    assert soppa(igen).en("h1").text == BYGGER
    assert len(ko.jobb) == 1
    ko.kor()
    assert client.get(PDF_URL).content == b"%PDF igen"


def test_uppgiften_heter_samverkan_bygg_rapport_och_klarar_en_borttagen_grupp(grupp, byggen):
    assert bygg_rapport.name == "samverkan.bygg_rapport"
    rapport = _rapport(grupp)
    nyckel = pdf.bygg_nyckel(rapport)
    bygg_rapport.apply(args=(grupp.pk, 2024, nyckel), throw=True)
    assert pdf.finns(rapport)
    bygg_rapport.apply(args=(grupp.pk, 2024, nyckel), throw=True)  # built: not again
    bygg_rapport.apply(args=(grupp.pk + 1000, 2024, "finsam:samverkan:borta"), throw=True)
    assert byggen == ["jonkopings-lan"]


def test_en_ny_worker_hittar_uppgiften():
    """A worker imports the apps' `tasks` modules itself (`finsam.celery`'s autodiscovery): in a
    fresh process, where no test has imported `samverkan.tasks`, the task is known by name."""
    kod = (
        "import django; django.setup()\n"
        "from finsam.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(app.tasks['samverkan.bygg_rapport'].__module__)\n"
    )
    miljo = {**os.environ, "DJANGO_SETTINGS_MODULE": "finsam.settings_test"}
    utdata = subprocess.run(
        [sys.executable, "-c", kod], capture_output=True, text=True, env=miljo, check=True
    )
    assert utdata.stdout.strip() == "samverkan.tasks"


def test_anonym_loggar_in_och_inget_byggs(client, grupp, byggen):
    response = client.get(PDF_URL)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert byggen == []
