"""The rule × door matrix: every rule about what may be saved, tried through every door a figure
can come in by. Each bad input is refused with the same Swedish message, and nothing is saved.

Rules (`registrering.regler`): a month's flow, a breakdown, the volume, a justering, an ingående
balans and its reason, an insats's inriktning, whether a month is editable, an utfall row, the
income side of the transition model.
Doors: the browser's form, the admin, a CSV import, an XLSX import, and `manage.py import`.
A cell without a door says why in `UTAN_DORR`; `test_matrisen_ar_hel` keeps the table whole.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from registrering import resources, services
from registrering.formats import CSV, XLSX
from registrering.models import (
    AuditEntry,
    AvslutadePerAnledning,
    IngaendeBalans,
    IngaendeBalansHuvudman,
    Inkomstnyckeltal,
    Insats,
    Justering,
    Kostnadspost,
    Manadsrapport,
    NyaPerHuvudman,
    Utfall,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
Status = Manadsrapport.Status

REGLER = (
    "manadens_flode",
    "fordelning",
    "volym",
    "justering",
    "ingaende_balans",
    "insatsens_inriktning",
    "manad_redigerbar",
    "utfallsrad",
    "inkomstsidan",
)
DORRAR = ("webblasare", "admin", "csv", "xlsx", "kommando")
UTAN_DORR = {
    ("insatsens_inriktning", "webblasare"): (
        "Insatser läggs upp och ändras i administrationen eller med import; webbläsarens "
        "formulär för förbundsstarten hör till nästa steg."
    ),
}

MEDDELANDE = {
    "manadens_flode": (
        "Fler avslutade kvinnor (5) än det fanns deltagare att avsluta "
        "(0 pågående vid månadens början + 0 nya)."
    ),
    "fordelning": "Fördelningen per huvudman (1) stämmer inte med antalet nya (2).",
    "volym": (
        "Antalet unika individer hittills i år kan inte vara lägre än förra rapporterade "
        "månadens (10)."
    ),
    "justering": "Justeringen ger färre än noll pågående kvinnor (3 pågående, justering −50).",
    "ingaende_balans": (
        "Balansen skiljer sig från förra årets utgående (10 kvinnor, 10 män). Ange anledningen."
    ),
    "insatsens_inriktning": "”Kompetenshöjande” hör inte till inriktningen individinriktad.",
    "manad_redigerbar": (
        "Försteg Testby, februari 2025 är godkänd och låst. Verksamhetsutvecklaren kan låsa upp "
        "månaden med en motivering."
    ),
    "utfallsrad": "Ange ett belopp i kronor, t.ex. 125 000.",
    "inkomstsidan": "Kommunalskatt och regionskatt kan inte vara 100 % tillsammans.",
}


@dataclass
class Varld:
    """One förbund with what every rule's bad input is tried against."""

    user: Any
    insats: Insats
    grannby: Insats
    fontan: Insats
    kommun: Any
    post: Kostnadspost
    rapport_april: Manadsrapport
    last_februari: Manadsrapport
    inkomst: Inkomstnyckeltal


@pytest.fixture
def varld(forbund, insats, annan_insats, verksamhetsutvecklare) -> Varld:
    kommun = f.HuvudmanFactory(forbund=forbund, namn="Kommun")
    arbete = f.AvslutsanledningFactory(forbund=forbund, namn="Arbete")
    arbete.insatser.add(insats)
    fontan = f.VolyminsatsFactory(
        forbund=forbund,
        namn="Fontänhuset",
        inriktning=Insats.Inriktning.INDIVID,
        volymenhet=Insats.Volymenhet.UNIKA_INDIVIDER,
    )
    f.ManadsrapportFactory(insats=fontan, ar=2025, manad=3, volym=10, status=Status.INSKICKAD)
    # Grannby last year: 10 kvinnor and 10 män enrolled all year, so 1/1 2025 is 10/10.
    f.IngaendeBalansFactory(insats=annan_insats, ar=2024, kvinnor=10, man=10)
    f.ManadsrapportFactory(insats=annan_insats, ar=2024, manad=1, status=Status.GODKAND)
    # Testby starts 2025 with nobody: 1 new in February (approved), 2 new in April (a draft).
    last = f.ManadsrapportFactory(
        insats=insats, ar=2025, manad=2, nya_kvinnor=1, status=Status.GODKAND
    )
    april = f.ManadsrapportFactory(
        insats=insats, ar=2025, manad=4, nya_kvinnor=2, status=Status.UTKAST
    )
    post = Kostnadspost.objects.create(forbund=forbund, ar=2025, namn="Kansli", budget=100_000)
    # 2025's key figures (the catalogue's), for the income side's rule.
    services.nyckeltal_for_aret(user=verksamhetsutvecklare, forbund=forbund, ar=2025)
    inkomst = Inkomstnyckeltal.objects.get(forbund=forbund, ar=2025)
    return Varld(
        verksamhetsutvecklare, insats, annan_insats, fontan, kommun, post, april, last, inkomst
    )


def databas() -> dict[str, list[tuple[Any, ...]]]:
    """Everything a refused input could have changed."""
    andringar = AuditEntry.objects.andringar().values_list()
    return {
        "AuditEntry": sorted(tuple(str(v) for v in rad) for rad in andringar),
    } | {
        modell.__name__: sorted(tuple(str(v) for v in rad) for rad in modell.objects.values_list())
        for modell in (
            Manadsrapport,
            AvslutadePerAnledning,
            NyaPerHuvudman,
            IngaendeBalans,
            IngaendeBalansHuvudman,
            Justering,
            Insats,
            Utfall,
        )
    }


# --- the doors ----------------------------------------------------------------------------------


def csv_fil(rubrik: str, *rader: str) -> bytes:
    return ("\r\n".join((rubrik, *rader)) + "\r\n").encode("utf-8-sig")


def xlsx_fil(rubrik: str, *rader: str) -> bytes:
    bok = openpyxl.Workbook()
    blad = bok.active
    for rad in (rubrik, *rader):
        blad.append([cell if cell != "" else None for cell in rad.split(";")])
    ut = io.BytesIO()
    bok.save(ut)
    return ut.getvalue()


def importfel(resurs: type, data: bytes, user: Any, format: type) -> list[str]:
    result = resurs(user=user).import_data(format().create_dataset(data))
    texter = [str(e.error) for e in result.base_errors]
    for rad in result.invalid_rows:
        for kolumn, fel in rad.error_dict.items():
            texter += [f"Rad {rad.number + 1}, {kolumn}: {t}" for t in fel]
    return texter


def kommando(resurs: type, data: bytes, user: Any, tmp_path: Any, monkeypatch: Any) -> str:
    monkeypatch.setenv("FINSAM_IMPORT_USER", user.username)
    fil = tmp_path / "fil.csv"
    fil.write_bytes(data)
    stderr = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import",
            f"registrering.resources.{resurs.__name__}",
            str(fil),
            interactive=False,
            stderr=stderr,
        )
    return stderr.getvalue()


def hanteringsformular(prefix: str, antal: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(antal),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def manad_admin(insats: Insats, ar: int, manad: int, **varden: str) -> dict[str, str]:
    data = {
        "insats": str(insats.pk),
        "ar": str(ar),
        "manad": str(manad),
        "nya_kvinnor": "0",
        "nya_man": "0",
        "avslutade_kvinnor": "0",
        "avslutade_man": "0",
        "volym": "",
        "kommentar": "",
        **hanteringsformular("avslut"),
        **hanteringsformular("nya_huvudman"),
    }
    data.update(varden)
    return data


def manad_url(insats: Insats, ar: int, manad: int) -> str:
    return reverse("registrering:manad", args=[insats.pk, ar, manad])


def flode(**varden: str) -> dict[str, str]:
    return {
        "nya_kvinnor": "0",
        "nya_man": "0",
        "avslutade_kvinnor": "0",
        "avslutade_man": "0",
        "kommentar": "",
        "spara": "1",
        **varden,
    }


@dataclass(frozen=True)
class Webb:
    """A POST in the browser or the admin: where, what, and the status of a refusal."""

    url: Callable[[Varld], str]
    data: Callable[[Varld], dict[str, str]]
    status: int = 400


@dataclass(frozen=True)
class Fil:
    """A file to import: the resource, the header and the rows."""

    resurs: type
    rubrik: str
    rader: Callable[[Varld], tuple[str, ...]]


MANAD_RUBRIK = "Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män"

WEBBLASARE: dict[str, Webb] = {
    "manadens_flode": Webb(
        lambda v: manad_url(v.insats, 2025, 1),
        lambda v: flode(version="0", avslutade_kvinnor="5"),
    ),
    # A draft may be saved with a breakdown half done; sending it in is refused.
    "fordelning": Webb(
        lambda v: manad_url(v.insats, 2025, 4),
        lambda v: {
            **{
                k: t
                for k, t in flode(
                    version="1", nya_kvinnor="2", **{f"huvudman_{v.kommun.pk}": "1"}
                ).items()
                if k != "spara"
            },
            "skicka_in": "1",
        },
    ),
    "volym": Webb(
        lambda v: manad_url(v.fontan, 2025, 4),
        lambda v: {"version": "0", "volym": "7", "kommentar": "", "spara": "1"},
    ),
    "justering": Webb(
        lambda v: reverse("registrering:justering", args=[v.insats.pk, 2025, 12]),
        lambda v: {
            "justering-kvinnor": "-50",
            "justering-man": "0",
            "justering-anledning": "Inventering",
        },
    ),
    "ingaende_balans": Webb(
        lambda v: reverse("registrering:ingaende_balans", args=[v.grannby.pk, 2025]),
        lambda v: {"kvinnor": "3", "man": "3", "anledning": ""},
    ),
    "manad_redigerbar": Webb(
        lambda v: manad_url(v.insats, 2025, 2),
        lambda v: flode(version=str(v.last_februari.version), nya_kvinnor="2"),
    ),
    "utfallsrad": Webb(
        lambda v: reverse("rapporter:utfall_period", args=[2025, "m1"]),
        lambda v: {f"post_{v.post.pk}": "NaN"},
    ),
    "inkomstsidan": Webb(
        lambda v: reverse("effekter:nyckeltal", args=[2025]),
        lambda v: {"del": "inkomst", **{f"inkomst-{k}": t for k, t in INKOMSTSIDA.items()}},
    ),
}


#: An income side whose tax rates leave nothing of the wage (80 + 25 %).
INKOMSTSIDA = {
    "arslon": "270 000",
    "loneokning": "3",
    "kommunalskatt": "80",
    "regionskatt": "25",
    "arbetsgivaravgift": "31,42",
    "jobbskatteavdrag": "12 000",
    "kalla": "SCB",
}


def admin_url(vy: str, *args: Any) -> str:
    return reverse(f"admin:registrering_{vy}", args=args)


ADMIN: dict[str, Webb] = {
    "manadens_flode": Webb(
        lambda v: admin_url("manadsrapport_add"),
        lambda v: manad_admin(v.insats, 2025, 1, avslutade_kvinnor="5"),
        status=200,
    ),
    "fordelning": Webb(
        lambda v: admin_url("manadsrapport_change", v.rapport_april.pk),
        lambda v: {
            **manad_admin(v.insats, 2025, 4, nya_kvinnor="2"),
            "oppnad_version": str(v.rapport_april.version),
            **hanteringsformular("nya_huvudman", 1),
            "nya_huvudman-0-huvudman": str(v.kommun.pk),
            "nya_huvudman-0-antal": "1",
        },
        status=200,
    ),
    "volym": Webb(
        lambda v: admin_url("manadsrapport_add"),
        lambda v: manad_admin(v.fontan, 2025, 4, volym="7"),
        status=200,
    ),
    "justering": Webb(
        lambda v: admin_url("justering_add"),
        lambda v: {
            "insats": str(v.insats.pk),
            "ar": "2025",
            "manad": "12",
            "kvinnor": "-50",
            "man": "0",
            "anledning": "Inventering",
        },
        status=200,
    ),
    "ingaende_balans": Webb(
        lambda v: admin_url("ingaendebalans_add"),
        lambda v: {
            "insats": str(v.grannby.pk),
            "ar": "2025",
            "kvinnor": "3",
            "man": "3",
            "anledning": "",
            **hanteringsformular("per_huvudman"),
        },
        status=200,
    ),
    "insatsens_inriktning": Webb(
        lambda v: admin_url("insats_add"),
        lambda v: {
            "namn": "Ny insats",
            "inriktning": Insats.Inriktning.INDIVID,
            "preciserad_inriktning": Insats.PreciseradInriktning.KOMPETENSHOJANDE,
            "uppfoljning": Insats.Uppfoljning.DELTAGARFLODE,
            "volymenhet": "",
            "startdatum": "2025-01-01",
            "ordning": "0",
            "beskrivning": "",
        },
        status=200,
    ),
    # An approved month is read-only in the admin: the change is refused, and the page says why
    # with the rule's message (see test_admin_visar_varfor_manaden_ar_last).
    "manad_redigerbar": Webb(
        lambda v: admin_url("manadsrapport_change", v.last_februari.pk),
        lambda v: {
            **manad_admin(v.insats, 2025, 2, nya_kvinnor="2"),
            "oppnad_version": str(v.last_februari.version),
        },
        status=403,
    ),
    "utfallsrad": Webb(
        lambda v: admin_url("utfall_add"),
        lambda v: {"post": str(v.post.pk), "manad": "1", "kvartal": "", "belopp": "NaN"},
        status=200,
    ),
    "inkomstsidan": Webb(
        lambda v: admin_url("inkomstnyckeltal_change", v.inkomst.pk),
        lambda v: INKOMSTSIDA,
        status=200,
    ),
}

FILER: dict[str, Fil] = {
    "manadens_flode": Fil(
        resources.ManadsdataResource, MANAD_RUBRIK, lambda v: ("Försteg Testby;2025;1;0;0;5;0",)
    ),
    "fordelning": Fil(
        resources.NyaPerHuvudmanResource,
        "Insats;År;Månad;Huvudman;Antal",
        lambda v: ("Försteg Testby;2025;4;Kommun;1",),
    ),
    "volym": Fil(
        resources.VolymdataResource, "Insats;År;Månad;Volym", lambda v: ("Fontänhuset;2025;4;7",)
    ),
    "justering": Fil(
        resources.JusteringResource,
        "Insats;År;Månad;Kvinnor;Män;Anledning",
        lambda v: ("Försteg Testby;2025;12;-50;0;Inventering",),
    ),
    "ingaende_balans": Fil(
        resources.IngaendeBalansResource,
        "Insats;År;Kvinnor;Män",
        lambda v: ("Försteg Grannby;2025;3;3",),
    ),
    "insatsens_inriktning": Fil(
        resources.InsatsResource,
        "Namn;Inriktning;Grupp;Startdatum;Slutdatum;Preciserad inriktning",
        lambda v: ("Ny insats;Individinriktad;;2025-01-01;;Kompetenshöjande",),
    ),
    "manad_redigerbar": Fil(
        resources.ManadsdataResource, MANAD_RUBRIK, lambda v: ("Försteg Testby;2025;2;2;0;0;0",)
    ),
    "utfallsrad": Fil(
        resources.UtfallResource,
        "Post;År;Månad;Kvartal;Belopp",
        lambda v: ("Kansli;2025;1;;NaN",),
    ),
    "inkomstsidan": Fil(
        resources.InkomstnyckeltalResource,
        "År;Lön per år;Löneökning %;Kommunalskatt %;Regionskatt %;Arbetsgivaravgift %;"
        "Jobbskatteavdrag;Källa",
        lambda v: ("2025;270 000;3;80;25;31,42;12 000;SCB",),
    ),
}


def celler() -> list[Any]:
    return [
        pytest.param(regel, dorr, id=f"{regel}-{dorr}")
        for regel in REGLER
        for dorr in DORRAR
        if (regel, dorr) not in UTAN_DORR
    ]


# --- the matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("regel", "dorr"), celler())
def test_samma_regel_i_varje_dorr(regel, dorr, varld, client, tmp_path, monkeypatch):
    meddelande = MEDDELANDE[regel]
    fore = databas()
    if dorr in ("webblasare", "admin"):
        webb = (WEBBLASARE if dorr == "webblasare" else ADMIN)[regel]
        client.force_login(varld.user)
        response = client.post(webb.url(varld), webb.data(varld))
        assert response.status_code == webb.status, response.content.decode()[:2000]
        if webb.status != 403:
            assert escape(meddelande) in response.content.decode()
    else:
        fil = FILER[regel]
        rader = fil.rader(varld)
        if dorr == "kommando":
            texter = [
                kommando(fil.resurs, csv_fil(fil.rubrik, *rader), varld.user, tmp_path, monkeypatch)
            ]
        else:
            data = (csv_fil if dorr == "csv" else xlsx_fil)(fil.rubrik, *rader)
            texter = importfel(fil.resurs, data, varld.user, CSV if dorr == "csv" else XLSX)
        assert any(meddelande in t for t in texter), texter
    assert databas() == fore


def test_admin_visar_varfor_manaden_ar_last(varld, client):
    client.force_login(varld.user)
    response = client.get(admin_url("manadsrapport_change", varld.last_februari.pk))
    assert response.status_code == 200
    assert escape(MEDDELANDE["manad_redigerbar"]) in response.content.decode()


def test_matrisen_ar_hel():
    """Every rule × door is tried, or says why there is no such door."""
    for regel in REGLER:
        assert regel in MEDDELANDE
        for dorr, tabell in (("webblasare", WEBBLASARE), ("admin", ADMIN), ("csv", FILER)):
            assert (regel in tabell) != ((regel, dorr) in UTAN_DORR), (regel, dorr)
    assert len(celler()) == len(REGLER) * len(DORRAR) - len(UTAN_DORR)


def test_en_fil_som_borjar_mitt_i_flodet_provas_som_helhet(varld):
    """A history file may arrive in any order: December's avslutade come before the nya of
    March in the file, and the whole file is checked on the result, not row by row."""
    ny = f.InsatsFactory(forbund=varld.insats.forbund, namn="Historik")
    rader = ("Historik;2025;12;0;0;3;0", "Historik;2025;3;3;0;0;0")
    texter = importfel(resources.ManadsdataResource, csv_fil(MANAD_RUBRIK, *rader), varld.user, CSV)
    assert texter == []
    assert Manadsrapport.objects.get(insats=ny, ar=2025, manad=12).avslutade_kvinnor == 3

    # A file whose November ends participants nobody had is refused as a whole: its March
    # is not saved either.
    f.InsatsFactory(forbund=varld.insats.forbund, namn="Historik två")
    fore = databas()
    rader = ("Historik två;2025;11;0;0;2;0", "Historik två;2025;3;0;0;0;0")
    texter = importfel(resources.ManadsdataResource, csv_fil(MANAD_RUBRIK, *rader), varld.user, CSV)
    assert (
        "Rad 2, Avslutade kvinnor: Fler avslutade kvinnor (2) än det fanns deltagare att "
        "avsluta (0 pågående vid månadens början + 0 nya)."
    ) in texter
    assert databas() == fore


def test_en_andring_som_gor_en_senare_manad_negativ_avvisas(varld, client):
    """Lowering March's nya after May ended them: May would end below zero."""
    ny = f.InsatsFactory(forbund=varld.insats.forbund, namn="Ny")
    f.ManadsrapportFactory(insats=ny, ar=2025, manad=3, nya_kvinnor=3)
    f.ManadsrapportFactory(insats=ny, ar=2025, manad=5, avslutade_kvinnor=3)
    client.force_login(varld.user)
    fore = databas()
    response = client.post(manad_url(ny, 2025, 3), flode(version="1", nya_kvinnor="0"))
    assert response.status_code == 400
    assert (
        escape(
            "Ändringen gör att pågående kvinnor blir -3 i maj 2025. Kontrollera siffrorna för "
            "den månaden först."
        )
        in response.content.decode()
    )
    assert databas() == fore
