"""The behörighetsmatris's world and the checking of one cell, shared by its two modules:
tests/test_behorighetsmatris.py (the pages of issues before 14, the admin) and
tests/test_behorighetsmatris_system.py (issue 14's pages: import and export, the förbund's users,
invitations, the checklist, the installation's and the groups' pages, the joint report). Read the
first module's docstring for the columns, the cells and what every cell checks.

Each module builds the world once (`varld`, module scope) in a transaction that is rolled back
after its last test; each cell runs in a savepoint of its own (`db`). Both fixtures are imported
into the modules.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapporter import pdf, pdfa
from registrering import importuppgifter
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkattillfalle,
    Forbundsgrupp,
    Manadsrapport,
    Medfinansiering,
    Svarsalternativ,
    User,
)
from registrering.permissions import Roll
from tests import factories as f

IDAG = dt.date(2026, 11, 23)  # 2025 is over; the months below are all reportable
AR = 2025
LANK = "matrislank"  # the public link of our survey round
FALSK_PDF = b"%PDF-1.7 matris"
Status = Manadsrapport.Status

PERSONER = (
    "anonym",
    "verksamhetsutvecklare",
    "forbundschef",
    "insatsansvarig",
    "styrelse",
    "utomstaende",
    "superuser",
    "systemadministrator",
    "samordnare",
    "annan_samordnare",
)

EGNA = ("verksamhetsutvecklare", "forbundschef", "insatsansvarig", "styrelse")  # our förbund

L, AL, OK, INGET, IX, IF = "L", "AL", "OK", "INGET", "IX", "IF"


Svar = int | str


# --- The world: two förbund, their people and one object of every model -----------------------


@dataclass
class Varld:
    klienter: dict[str, Client]
    insatser: dict[str, Any]  # egen, annan (our förbund), deras (the other förbund)
    objekt: dict[str, dict[str, Any]]  # "A"/"B" → model name → object
    anvandare: dict[str, Any]  # persona → user
    #: The förbund's, the groups' and the invited account's ids, for the rows' addresses.
    nycklar: dict[str, int]


def bygg_varld() -> Varld:
    vart = f.ForbundFactory(namn="Samordningsförbundet Testbygden", kortnamn="STB")
    deras_forbund = f.ForbundFactory(namn="Samordningsförbundet Annanstans", kortnamn="SAS")
    egen = f.InsatsFactory(forbund=vart, namn="Försteg Testby")
    annan = f.InsatsFactory(forbund=vart, namn="Försteg Grannby")
    deras = f.InsatsFactory(forbund=deras_forbund, namn="Annanstans insats")

    # The personas of tests/conftest.py, built once for the module.
    anvandare = {
        "verksamhetsutvecklare": f.UserFactory(
            username="vu", forbund=vart, roll=Roll.VERKSAMHETSUTVECKLARE, is_staff=True
        ),
        "forbundschef": f.UserFactory(
            username="chef", forbund=vart, roll=Roll.FORBUNDSCHEF, is_staff=True
        ),
        "styrelse": f.UserFactory(
            username="styrelse", forbund=vart, roll=Roll.STYRELSE, is_staff=True
        ),
        "insatsansvarig": f.UserFactory(
            username="ansvarig", forbund=vart, roll=Roll.INSATSANSVARIG
        ),
        "utomstaende": f.UserFactory(
            username="utomstaende",
            forbund=deras_forbund,
            roll=Roll.VERKSAMHETSUTVECKLARE,
            is_staff=True,
        ),
        "superuser": f.UserFactory(username="root", forbund=None, is_staff=True, is_superuser=True),
        # The installation's and the groups' roles, tied to no förbund; with is_staff, like the
        # styrelse, so that the role and not the flag keeps them out of the admin.
        "systemadministrator": f.UserFactory(
            username="sysadm", forbund=None, roll=Roll.SYSTEMADMINISTRATOR, is_staff=True
        ),
        "samordnare": f.UserFactory(
            username="samordnare", forbund=None, roll=Roll.SAMORDNARE, is_staff=True
        ),
        "annan_samordnare": f.UserFactory(
            username="annan_samordnare", forbund=None, roll=Roll.SAMORDNARE, is_staff=True
        ),
    }
    egen.insatsansvariga.add(anvandare["insatsansvarig"])
    # Two groups of förbund: ours (with a third förbund, so that its report is a joint one) and
    # one of the other förbund alone, each with its samordnare.
    tredje = f.ForbundFactory(namn="Samordningsförbundet Tredjeby", kortnamn="STR")
    for grupp_namn, kortnamn, medlemmar, samordnare in (
        ("Länsgruppen", "lansgruppen", (vart, tredje), "samordnare"),
        ("Nätverket Annanstans", "natverket-annanstans", (deras_forbund,), "annan_samordnare"),
    ):
        grupp = Forbundsgrupp.objects.create(namn=grupp_namn, kortnamn=kortnamn)
        grupp.forbund.add(*medlemmar)
        grupp.samordnare.add(anvandare[samordnare])
    # A verksamhetsutvecklare of ours who is invited and has not chosen a password yet (whose
    # invitation can be sent again).
    inbjuden = f.UserFactory(
        username="inbjuden", forbund=vart, roll=Roll.VERKSAMHETSUTVECKLARE, email="ny@stb.se"
    )
    inbjuden.set_unusable_password()
    inbjuden.save()
    nycklar = {
        "forbund_var": vart.pk,
        "forbund_deras": deras_forbund.pk,
        "tredje": tredje.pk,
        "inbjuden": inbjuden.pk,
        **{
            f"grupp_{namn}": Forbundsgrupp.objects.get(kortnamn=kortnamn).pk
            for namn, kortnamn in (("var", "lansgruppen"), ("deras", "natverket-annanstans"))
        },
    }

    objekt = {
        "A": f.ett_av_varje(vart, egen, anvandare["verksamhetsutvecklare"]),
        "B": f.ett_av_varje(deras_forbund, deras, anvandare["utomstaende"], n=1),
    }
    for o in objekt.values():
        o["group"] = Group.objects.get(name=str(Roll.STYRELSE))
    # Our objects that the admin rows delete are ones that may be deleted, so that a refusal in
    # the tables is the role's and not a rule's: an insats without figures, a huvudman and an
    # avslutsanledning no month uses, and a balance the ledger does without.
    objekt["A"]["insats"] = f.InsatsFactory(forbund=vart, namn="Försteg Tomby")
    objekt["A"]["huvudman"] = f.HuvudmanFactory(forbund=vart, namn="Oanvänd huvudman")
    objekt["A"]["avslutsanledning"] = f.AvslutsanledningFactory(
        forbund=vart, namn="Oanvänd anledning"
    )
    objekt["A"]["ingaendebalans"] = f.IngaendeBalansFactory(insats=annan, ar=AR)
    # Co-financing (registrering.models.samfinansiering): the third förbund pays part of an
    # insats of ours, a fourth, in no group, part of theirs; the rows belong to the owner.
    fjarde = f.ForbundFactory(namn="Samordningsförbundet Fjärran", kortnamn="SFJ")
    for vilket, insats, finansiar in (("A", annan, tredje), ("B", deras, fjarde)):
        objekt[vilket]["medfinansiering"] = Medfinansiering.objects.create(
            insats=insats, finansiar=finansiar, ar=AR, belopp=100_000, andel=Decimal("25")
        )
    # A survey round of ours with a public link (enkater.svar_vyer): names that neither
    # förbund's pages may show of the other's, since anyone may open the link.
    enkat = Enkat.objects.create(forbund=vart, namn="Enkät via länk")
    fraga = Enkatfraga.objects.create(forbund=vart, enkat=enkat, text="Hur var dagen?")
    Svarsalternativ.objects.create(fraga=fraga, text="Bra", positivt=True)
    Enkattillfalle.objects.create(
        forbund=vart,
        namn="Svar via länk",
        datum=dt.date(2026, 11, 1),
        enkat=enkat,
        kalla=Enkattillfalle.Kalla.LANK,
        lank=LANK,
    )
    # Rounds with a link of the insatsansvarig's insats, of another insats of ours and of the
    # other förbund (enkater.hantering, enkater.affisch: the QR code and the poster).
    deras_enkat = Enkat.objects.create(forbund=deras_forbund, namn="Enkät Annanstans")
    for namn, forbundet, insatsen, enkaten in (
        ("egen", vart, egen, enkat),
        ("annan", vart, annan, enkat),
        ("deras", deras_forbund, deras, deras_enkat),
    ):
        Enkattillfalle.objects.create(
            forbund=forbundet,
            insats=insatsen,
            namn=f"Runda {namn}",
            datum=dt.date(2026, 11, 1),
            enkat=enkaten,
            kalla=Enkattillfalle.Kalla.LANK,
            lank=f"{LANK}-{namn}",
        )
    # The workflow's months: October sent in (to approve or return), November approved (to
    # unlock or mark as registered); September is not reported yet.
    for forbund, insats in (("A", egen), ("", annan), ("B", deras)):
        manader = {
            "inskickad": f.ManadsrapportFactory(
                insats=insats, ar=AR, manad=10, status=Status.INSKICKAD
            ),
            "godkand": f.ManadsrapportFactory(
                insats=insats, ar=AR, manad=11, status=Status.GODKAND
            ),
        }
        if forbund:  # the admin's workflow rows use the insatsansvarig's insats and theirs
            objekt[forbund] |= manader

    klienter = {"anonym": Client()}
    for namn, user in anvandare.items():
        klienter[namn] = Client()
        klienter[namn].force_login(user)
    # Two-factor devices, set up after the login (which would otherwise ask for their code):
    # one for an account of each förbund, for the rows that remove or reset one.
    for namn in ("insatsansvarig", "utomstaende"):
        TOTPDevice.objects.create(user=anvandare[namn], name="Finsam uppföljning")
    return Varld(
        klienter=klienter,
        insatser={"egen": egen, "annan": annan, "deras": deras},
        objekt=objekt,
        anvandare=anvandare,
        nycklar=nycklar,
    )


@pytest.fixture(scope="module")
def varld(django_db_setup, django_db_blocker) -> Iterator[Varld]:
    """The world, built once in a transaction that is rolled back after the module's last test."""
    with pytest.MonkeyPatch.context() as mp, django_db_blocker.unblock():
        mp.setattr(timezone, "localdate", lambda *args, **kwargs: IDAG)
        # The matrix is about who may download the PDF, not about WeasyPrint (tests/rapporter).
        mp.setattr(pdf, "_bygg", lambda rapport: FALSK_PDF)
        mp.setattr(pdfa, "skriv", lambda html: FALSK_PDF)  # the joint report's, in the request
        with transaction.atomic():
            yield bygg_varld()
            transaction.set_rollback(True)
    cache.clear()  # the report's caches are keyed on data that no longer exists


@pytest.fixture
def db(varld: Varld) -> Iterator[None]:
    """One cell: a savepoint in the module's transaction, rolled back after the request.

    It replaces pytest-django's `db` in the modules that take it (a TestCase per test costs
    more than most cells); the name makes pytest-django create the test database for these
    tests."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- Checking one cell ---------------------------------------------------------------------------


MODELLER = [
    *apps.get_app_config("registrering").get_models(include_auto_created=True),
    Group,
    Group.permissions.through,
]


def databasen() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model of registrering (many-to-many tables too) and of the groups,
    read with plain SQL: the ORM would make the matrix several times slower."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        result = {}
        for m in MODELLER:
            cursor.execute(f"SELECT * FROM {q(m._meta.db_table)} ORDER BY {q(m._meta.pk.column)}")
            result[m._meta.label] = cursor.fetchall()
    return result


def svaret(response: Any, adress: str, klar: str) -> int | str:
    """The response as a cell of the matrix."""
    if response.status_code != 302:
        return response.status_code
    plats = response["Location"]
    if plats == f"/logga-in/?next={quote(adress)}":
        return L
    if plats.startswith("/admin/login/?next="):
        return AL
    if plats == klar or (
        "{nytt}" in klar and re.fullmatch(re.escape(klar).replace(r"\{nytt\}", r"\d+"), plats)
    ):
        return OK
    if plats == reverse("admin:index"):
        return IX
    if adress.endswith("/process_import/") and plats == adress.replace(
        "/process_import/", "/import/"
    ):
        return IF
    return plats


#: Names only our förbund's objects have, and only the other förbund's (ett_av_varje with n=0
#: and n=1).
VARA_NAMN = (
    "Testbygden",
    "Försteg Testby",
    "Försteg Grannby",
    "Försteg Tomby",
    "Kommun 0",
    "Arbete 0",
    "Fråga 0",
    "Föreläsning 0",
    "Post 0",
    "Oanvänd",
)
DERAS_NAMN = (
    "Annanstans",
    "Kommun 1",
    "Arbete 1",
    "Fråga 1",
    "Föreläsning 1",
    "Post 1",
    "utomstaende",
)
#: Our group's: the third förbund and the group's name (the other group's name contains
#: "Annanstans").
VAR_GRUPPS_NAMN = ("Länsgruppen", "Tredjeby")
#: A förbund's own data, which the systemadministratör manages no page of: the insatser, the
#: catalogues, the survey questions and rounds, the cost posts.
FORBUNDENS_DATA = (
    "Försteg Testby",
    "Försteg Grannby",
    "Försteg Tomby",
    "Annanstans insats",
    "Oanvänd",
    *(f"{namn} {n}" for namn in ("Arbete", "Fråga", "Föreläsning", "Post") for n in (0, 1)),
)
FREMMANDE = {
    # What each persona's 200 pages must not name.
    "verksamhetsutvecklare": DERAS_NAMN,
    "forbundschef": DERAS_NAMN,
    "styrelse": DERAS_NAMN,
    "insatsansvarig": (*DERAS_NAMN, "Försteg Grannby", "Försteg Tomby"),
    "utomstaende": (*VARA_NAMN, *VAR_GRUPPS_NAMN),
    # The systemadministratör sees förbund, their members and users, never their data.
    "systemadministrator": FORBUNDENS_DATA,
    # A samordnare sees their group's förbund, never another group's.
    "samordnare": DERAS_NAMN,
    "annan_samordnare": (*VARA_NAMN, *VAR_GRUPPS_NAMN),
}


#: The answers whose text is checked for FREMMANDE (an export's CSV and Excel file too).
TEXTTYPER = ("text/html", "application/json", "text/csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_text(innehall: bytes) -> str:
    """Every cell of every sheet of an Excel file, as one text."""
    bok = openpyxl.load_workbook(io.BytesIO(innehall), read_only=True)
    return "\n".join(
        str(cell)
        for blad in bok.worksheets
        for rad in blad.iter_rows(values_only=True)
        for cell in rad
    )


@dataclass(frozen=True)
class Ruta:
    """One cell: a persona, the answer expected and the row (a page, or an admin view)."""

    persona: str
    vantat: Svar
    rad: Any


def kontrollera(
    varld: Varld,
    ruta: Ruta,
    metod: str,
    adress: str,
    data: dict[str, Any],
    klar: str,
    tillatna: tuple[str, ...] = (),
) -> Any:
    persona, vantat = ruta.persona, ruta.vantat
    klient = varld.klienter[persona]
    klient.cookies.pop("messages", None)  # a message of an earlier cell is not this cell's
    fore = databasen() if metod == "POST" else None

    response = klient.post(adress, data) if metod == "POST" else klient.get(adress)

    status = vantat
    assert svaret(response, adress, klar) == (OK if status == INGET else status), (
        f"{persona} {metod} {adress}: {response.status_code} {response.get('Location', '')}"
    )
    if fore is not None:
        if status == OK:
            assert databasen() != fore, "en tillåten skrivning ska ha skrivit"
        else:
            assert databasen() == fore, "en nekad eller ogiltig begäran får inte ändra något"
    typ = response.get("Content-Type", "")
    if response.status_code == 200 and typ.startswith((*TEXTTYPER, XLSX)):
        innehall = xlsx_text(response.content) if typ == XLSX else response.content.decode()
        for tillaten in tillatna:
            innehall = innehall.replace(tillaten, "")
        for namn in FREMMANDE.get(persona, ()):
            assert namn not in innehall, f"{persona} ser {namn!r} på {adress}"
    return response


def rutor(omrade: str, namn: str, svar: tuple[Svar, ...], rad: Any) -> list[Any]:
    """The cells of a row, one test each (a single argument: pytest sets up far less per test
    than with one argument per column)."""
    assert len(svar) == len(PERSONER), (omrade, namn)
    result = []
    for persona, vantat in zip(PERSONER, svar, strict=True):
        result.append(pytest.param(Ruta(persona, vantat, rad), id=f"{omrade}|{namn}|{persona}"))
    return result


# --- A page row ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sida:
    metod: str
    adress: str  # with {egen}, {annan} or {deras} for an insats's pk
    svar: tuple[Svar, ...]
    data: dict[str, Any] = field(default_factory=dict)
    klar: str = ""  # where an allowed write leads (OK)


def sida(metod: str, adress: str, *svar: Svar, data: Any = None, klar: str = "") -> Sida:
    return Sida(metod, adress, svar, data or {}, klar)


def fyll_i(varld: Varld, mall: str, persona: str = "") -> str:
    varden = {namn: insats.pk for namn, insats in varld.insatser.items()}
    # The utfall form has a field per cost post of the user's own förbund (the superuser's is
    # the first förbund, ours).
    varden["post"] = varld.objekt["B" if persona == "utomstaende" else "A"]["kostnadspost"].pk
    varden["vart_konto"] = varld.anvandare["insatsansvarig"].pk
    varden["deras_konto"] = varld.anvandare["utomstaende"].pk
    varden |= varld.nycklar
    varden["nytt"] = "{nytt}"  # an object the write creates: any id (svaret)
    if "{token}" in mall:  # the invited account's link (registrering.inbjudan)
        inbjuden = User.objects.get(pk=varld.nycklar["inbjuden"])
        varden["uid"] = urlsafe_base64_encode(force_bytes(inbjuden.pk))
        varden["token"] = default_token_generator.make_token(inbjuden)
    elif "{uid}" in mall:
        varden["uid"] = urlsafe_base64_encode(force_bytes(varld.nycklar["inbjuden"]))
    if "{jobb}" in mall:  # a queued import of the verksamhetsutvecklare's on the /data/ page
        varden["jobb"] = "b" * 32
        importuppgifter.jobb_skapa(
            varden["jobb"],
            user=varld.anvandare["verksamhetsutvecklare"],
            modell="data",
            filnamn="x.csv",
        )
    if "{diagram}" in mall:  # the hash of our förbund's first chart of 2025
        from rapporter import diagram as d
        from rapporter.selectors import arsrapport

        vart = varld.insatser["egen"].forbund
        varden["diagram"] = d.diagram_for(arsrapport(forbund=vart, ar=2025))[0].version
    if "{runda_" in mall or "{fraga_" in mall:
        rundor = dict(
            Enkattillfalle.objects.filter(lank__startswith=LANK).values_list("lank", "pk")
        )
        varden |= {f"runda_{n}": rundor[f"{LANK}-{n}"] for n in ("egen", "annan", "deras")}
        varden["runda_var"] = rundor[LANK]
        varden["fraga_var"] = Enkatfraga.objects.get(text="Hur var dagen?").pk
        varden["fraga_deras"] = varld.objekt["B"]["enkatfraga"].pk
    return mall.format(**varden)


def sidrutor(sidor: list[Sida]) -> list[Any]:
    """The cells of every page row, one test each."""
    return [r for s in sidor for r in rutor("sida", f"{s.metod} {s.adress}", s.svar, s)]


def kontrollera_sida(varld: Varld, ruta: Ruta) -> None:
    """One cell of a page row: its address, data and where a write leads, filled in."""
    rad = ruta.rad
    if isinstance(ruta.vantat, str) and "{" in ruta.vantat:  # a 302 to an address with an id
        ruta = replace(ruta, vantat=fyll_i(varld, ruta.vantat))
    data = {
        fyll_i(varld, k, ruta.persona): (
            fyll_i(varld, v) if isinstance(v, str) else [fyll_i(varld, x) for x in v]
        )
        for k, v in rad.data.items()
    }
    kontrollera(
        varld,
        ruta,
        rad.metod,
        fyll_i(varld, rad.adress),
        data,
        fyll_i(varld, rad.klar),
    )


def namngivna(monster: list[Any], prefix: str = "") -> Iterator[str]:
    """The names of every page of the product (not the admin's)."""
    for m in monster:
        if isinstance(m, URLResolver):
            if m.app_name == "admin":
                continue
            ns = f"{prefix}{m.namespace}:" if m.namespace else prefix
            yield from namngivna(m.url_patterns, ns)
        elif isinstance(m, URLPattern) and m.name:
            yield f"{prefix}{m.name}"
