"""Who reads a group's joint report (issue 14, point 4), its PDF, and the samordnare's 403 on
every förbund page. The decision (registrering.permissions): a samordnare of the group, a
superuser, and the kansli and styrelse of a förbund in the group read it; a samordnare of
another group, an insatsansvarig, a förbund outside the group get 404; the
systemadministratör manages the group but gets 403 on its figures.

The PDF is built by the task queue and stored (samverkan/pdf.py; its waiting and failure pages
in tests/samverkan/test_pdf.py); in the tests a cold PDF is built in the request that asks for
it (`FINSAM_BYGG_I_BAKGRUNDEN = False`), so these tests read a real, tagged PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.test import Client
from pypdf import PdfReader

from rapporter import lagring, pdfa
from registrering.demodata import samverkan as demo
from registrering.models import Forbundsgrupp, Insats
from registrering.permissions import Roll
from samverkan import pdf
from samverkan.selectors import samverkansrapport
from tests import factories

pytestmark = pytest.mark.django_db
RAPPORT = "/samverkan/jonkopings-lan/2024/"
PDF = "/samverkan/jonkopings-lan/2024/pdf/"


@pytest.fixture
def grupp() -> Forbundsgrupp:
    return demo.ladda_grupp()


@pytest.fixture
def samordnare(grupp):
    return grupp.samordnare.get()


@pytest.fixture
def annan_samordnare(db):
    annan = Forbundsgrupp.objects.create(namn="Annat län", kortnamn="annat-lan")
    annan.forbund.add(factories.ForbundFactory(namn="Annat förbund"))
    user = factories.UserFactory(username="annan-samordnare", forbund=None, roll=Roll.SAMORDNARE)
    annan.samordnare.add(user)
    return user


@pytest.fixture
def systemadministrator(db):
    return factories.UserFactory(username="sysadm", forbund=None, roll=Roll.SYSTEMADMINISTRATOR)


def _i_forbund(grupp, kortnamn, roll, namn):
    forbund = grupp.forbund.get(kortnamn=kortnamn)
    user = factories.UserFactory(username=namn, forbund=forbund, roll=roll)
    if roll == Roll.INSATSANSVARIG:
        Insats.objects.filter(forbund=forbund).first().insatsansvariga.add(user)
    return user


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("samordnare", 200),
        ("annan_samordnare", 404),
        ("systemadministrator", 403),
        ("vu_i_gruppen", 200),
        ("styrelse_i_gruppen", 200),
        ("insatsansvarig_i_gruppen", 404),
        ("vu_utanfor", 404),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize("adress", [RAPPORT, PDF])
def test_vem_ser_gruppens_rapport(
    client: Client, grupp, request, persona, status, adress, monkeypatch
):
    byggda: list[str] = []

    def bygg(rapport):
        byggda.append(rapport.grupp_kortnamn)
        return b"%PDF-1.7 stub"

    # Who may read it, not WeasyPrint: the real PDF is read below.
    monkeypatch.setattr(pdf, "_bygg", bygg)
    personer = {
        "vu_i_gruppen": lambda: _i_forbund(grupp, "HÖG", Roll.VERKSAMHETSUTVECKLARE, "vu-hog"),
        "styrelse_i_gruppen": lambda: _i_forbund(grupp, "FIN", Roll.STYRELSE, "st-fin"),
        "insatsansvarig_i_gruppen": lambda: _i_forbund(grupp, "SÖV", Roll.INSATSANSVARIG, "ia-sov"),
        "vu_utanfor": lambda: factories.UserFactory(
            username="vu-ute", roll=Roll.VERKSAMHETSUTVECKLARE
        ),
        "superuser": lambda: factories.UserFactory(
            username="su", forbund=None, is_superuser=True, is_staff=True
        ),
    }
    user = personer[persona]() if persona in personer else request.getfixturevalue(persona)
    client.force_login(user)

    svar = client.get(adress)

    assert svar.status_code == status
    if adress == PDF:
        # Those who may read it get the PDF; nobody else has one built.
        assert byggda == (["jonkopings-lan"] if status == 200 else [])
        if status == 200:
            assert svar["Content-Type"] == "application/pdf"
            assert svar.content == b"%PDF-1.7 stub"


@pytest.mark.parametrize("adress", [RAPPORT, PDF, "/samverkan/"])
def test_utan_inloggning_till_inloggningen(client: Client, grupp, adress):
    svar = client.get(adress)
    assert svar.status_code == 302 and svar["Location"].startswith("/logga-in/")


def test_okand_grupp_404(client: Client, samordnare):
    client.force_login(samordnare)
    assert client.get("/samverkan/finns-inte/2024/").status_code == 404


def test_samverkan_skickar_samordnaren_till_sin_grupp(client: Client, samordnare):
    client.force_login(samordnare)
    svar = client.get("/samverkan/")
    assert svar.status_code == 302
    assert re.fullmatch(r"/samverkan/jonkopings-lan/\d{4}/", svar["Location"])


def test_samverkan_utan_grupp_403(client: Client, systemadministrator):
    client.force_login(systemadministrator)
    assert client.get("/samverkan/").status_code == 403


@pytest.mark.parametrize(
    "adress",
    [
        "/registrering/",
        "/registrering/mina-insatser/",
        "/rapporter/",
        "/rapporter/2024/",
        "/mal/",
        "/effekter/2024/",
        "/enkater/",
    ],
)
def test_samordnaren_far_403_pa_forbundens_sidor(client: Client, samordnare, adress):
    client.force_login(samordnare)
    assert client.get(adress).status_code == 403


def test_sidan_visar_seed_004_med_svenska_tal(
    client: Client, samordnare, django_assert_max_num_queries
):
    client.force_login(samordnare)
    with django_assert_max_num_queries(25):
        svar = client.get(RAPPORT)
    text = svar.content.decode()
    nbsp = "\xa0"
    for tal in (f"11{nbsp}148", f"5{nbsp}058", f"8{nbsp}036", f"24{nbsp}242", f"3{nbsp}499"):
        assert f">{tal}</td>" in text
    assert f">{'12' + nbsp + '830'}</td>" in text
    assert "Tabell 1." in text and "Tabell 2." in text and "Tabell 3." in text


@pytest.fixture
def pdf_svar(client: Client, samordnare):
    client.force_login(samordnare)
    return client.get(PDF)


def test_pdf_laddas_ner_med_tabellerna(pdf_svar):
    assert pdf_svar["Content-Type"] == "application/pdf"
    assert 'filename="Samverkan-jonkopings-lan-2024.pdf"' in pdf_svar["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf_svar.content))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Jönköpings län: gemensam uppföljning 2024" in text
    assert "Medlemsbidrag, tkr" in text
    for tal in ("11 148", "5 058", "8 036", "24 242", "12 830", "1 484", "1 205"):
        assert tal in text.replace("\xa0", " ")


def test_pdf_ar_taggad_pdf_a_och_ua(pdf_svar, tmp_path):
    from page import validate_pdf_bytes

    reader = PdfReader(io.BytesIO(pdf_svar.content))
    rot = reader.trailer["/Root"]
    assert rot["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in rot
    metadata = rot["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and b"<pdfuaid:part>1</pdfuaid:part>" in metadata
    for profil in ("3a", "ua1"):
        rapport = validate_pdf_bytes(pdf_svar.content, profile=profil)
        assert rapport.is_compliant, [f"{f.rule_id}: {f.message}" for f in rapport.failures]
    if pdfinfo := shutil.which("pdfinfo"):
        fil = tmp_path / "samverkan.pdf"
        fil.write_bytes(pdf_svar.content)
        utdata = subprocess.run([pdfinfo, str(fil)], capture_output=True, text=True, check=True)
        assert re.search(r"^Tagged:\s+yes$", utdata.stdout, re.MULTILINE)


def test_andra_hamtningen_kommer_ur_lagringen_utan_att_renderas(
    pdf_svar, client: Client, grupp, monkeypatch
):
    """The first download built and stored the PDF in the group's own folder; the next one
    reads that file and renders nothing: neither the template nor WeasyPrint is called."""
    namn = pdf.lagringsnamn(samverkansrapport(grupp=grupp, ar=2024))
    assert namn.startswith("grupper/jonkopings-lan/2024/") and namn.endswith(".pdf")
    assert lagring.las(namn) == pdf_svar.content

    def renderas_inte(*args, **kwargs):
        raise AssertionError("PDF:en renderades i begäran")

    monkeypatch.setattr(pdf, "html", renderas_inte)
    monkeypatch.setattr(pdfa, "skriv", renderas_inte)

    andra = client.get(PDF)

    assert andra.status_code == 200
    assert andra["Content-Type"] == "application/pdf"
    assert andra["Cache-Control"] == "private, no-store"
    assert andra["Content-Disposition"] == pdf_svar["Content-Disposition"]
    assert andra.content == pdf_svar.content


def test_rapportsidans_knapp_leder_till_pdf_adressen_utan_download(client: Client, samordnare):
    """Until it is built the address answers with a waiting page: a `download` attribute would
    save that page as the file."""
    client.force_login(samordnare)
    text = client.get(RAPPORT).content.decode()
    knapp = re.search(r'<a class="knapp" href="/samverkan/jonkopings-lan/2024/pdf/"[^>]*>', text)
    assert knapp is not None and "download" not in knapp.group(0)


def test_samordnare_for_tva_grupper_valjer_pa_sidan(client: Client, grupp, samordnare):
    andra = Forbundsgrupp.objects.create(namn="Nätverket", kortnamn="natverket")
    andra.forbund.add(grupp.forbund.first())
    andra.samordnare.add(samordnare)
    client.force_login(samordnare)

    svar = client.get("/samverkan/")

    assert svar.status_code == 200
    text = svar.content.decode()
    assert 'href="/samverkan/jonkopings-lan/' in text and 'href="/samverkan/natverket/' in text


def test_sidan_halls_per_forbundens_dataversioner(
    client: Client, grupp, samordnare, monkeypatch, django_assert_max_num_queries
):
    """Asked again with unchanged data, the page computes nothing; a write in one of the
    group's förbund (for the year or an earlier one) has it computed again."""
    from registrering import services
    from samverkan import views

    riktig = views.samverkansrapport
    raknade: list[int] = []
    monkeypatch.setattr(views, "samverkansrapport", lambda **kw: raknade.append(1) or riktig(**kw))
    client.force_login(samordnare)
    forsta = client.get(RAPPORT).content.decode()
    with django_assert_max_num_queries(8):
        andra = client.get(RAPPORT).content.decode()
    assert raknade == [1]
    assert "Tabell 1." in andra and andra.count("<td") == forsta.count("<td")

    forbund = grupp.forbund.order_by("pk").first()
    vu = factories.UserFactory(username="vu-ny", forbund=forbund, roll=Roll.VERKSAMHETSUTVECKLARE)
    services.kommentar_spara(user=vu, forbund=forbund, ar=2023, avsnitt="volym", text="Ny.")
    assert client.get(RAPPORT).status_code == 200
    assert raknade == [1, 1]


def test_sidans_diagram_hamtas_med_sin_adress_och_lagras(
    client: Client, grupp, samordnare, annan_samordnare, monkeypatch
):
    """The page does not draw its chart: it points to it by the hash of what it shows, and
    that address draws it once (from the chart the page kept, or from the report in a process
    without it), stores it in the group's folder, reads it stored after that and lets the
    browser keep it. Another
    group's samordnare does not find it; an unknown hash is 404."""
    from django.core.cache import cache

    from rapporter import diagram as rd
    from samverkan import diagram, views

    ritade: list[str] = []
    riktig = rd.rendera
    monkeypatch.setattr(
        rd, "rendera", lambda dg, fmt="svg", *a: ritade.append(fmt) or riktig(dg, fmt, *a)
    )
    client.force_login(samordnare)
    sida = client.get(RAPPORT).content.decode()
    assert ritade == [] and "data:image/svg" not in sida
    (hash_,) = (dg.version for dg in diagram.diagram_for(samverkansrapport(grupp=grupp, ar=2024)))
    adress = f"/samverkan/jonkopings-lan/2024/diagram/{hash_}.svg"
    assert f'src="{adress}"' in sida

    svar = client.get(adress)
    assert svar.status_code == 200 and svar["Content-Type"] == "image/svg+xml"
    assert svar["Cache-Control"] == "private, max-age=31536000, immutable"
    assert svar.content.startswith(b"<?xml") and b"<svg" in svar.content
    assert ritade == ["svg"]
    assert lagring.las(f"grupper/jonkopings-lan/2024/diagram/{hash_}.svg") == svar.content

    # Another process: nothing in its cache, the stored chart read as it is, without the
    # report; with nothing stored either, the chart found in the report and drawn.
    cache.clear()
    raknade: list[int] = []
    riktig_rapport = views.samverkansrapport
    monkeypatch.setattr(
        views, "samverkansrapport", lambda **kw: raknade.append(1) or riktig_rapport(**kw)
    )
    assert client.get(adress).content == svar.content
    assert (ritade, raknade) == (["svg"], [])
    lagring.lagring().delete(f"grupper/jonkopings-lan/2024/diagram/{hash_}.svg")
    assert client.get(adress).content == svar.content
    assert (ritade, raknade) == (["svg", "svg"], [1])
    assert client.get("/samverkan/jonkopings-lan/2024/diagram/abcdef0123.svg").status_code == 404
    assert client.get("/samverkan/jonkopings-lan/2024/diagram/EJ-HASH.svg").status_code == 404

    client.force_login(annan_samordnare)
    assert client.get(adress).status_code == 404
