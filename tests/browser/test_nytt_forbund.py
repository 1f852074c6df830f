"""Issue 14's acceptance test: a förbund is brought in through the browser alone, in an
installation that already has one (the demo). The systemadministratör creates it with its
members and their population and invites its verksamhetsutvecklare, who chooses a password from
the mail's one-time link, logs in, sees on Kom igång what is missing, and on Importera och
exportera uploads the insatser, the ingående balans and a whole year of months, approved in the
same step, followed by their breakdowns (in the README's order, nothing unlocked). The bilaga
then shows the year's figures that the test computes from its own files, and its PDF carries
the förbund's name and one of those figures. Not one request goes to the Django admin."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from registrering.importflode import GODKAND_ETIKETT
from registrering.models import Forbund
from tests.browser.conftest import logga_in, logga_ut, tal

pytestmark = pytest.mark.browser

AR = 2025
NAMN = "Samordningsförbundet Finnveden"
KORTNAMN = "FINN"
VU_EPOST = "vera@finnveden.se"
NYTT_LOSENORD = "Nissans-dal-2026"
FLODE = "Steget"
VOLYM = "Nätverket Gislaved"
# Participants already enrolled on 1 January (kvinnor, män); Steget began in 2024.
INGAENDE = (4, 3)


@dataclass(frozen=True)
class Manad:
    nya_k: int
    nya_m: int
    avslutade_k: int
    avslutade_m: int
    volym: int

    @property
    def nya(self) -> int:
        return self.nya_k + self.nya_m

    @property
    def avslutade(self) -> int:
        return self.avslutade_k + self.avslutade_m


MANADER = {
    1: Manad(2, 1, 1, 0, 3),
    2: Manad(1, 2, 0, 1, 2),
    3: Manad(0, 1, 1, 1, 4),
    4: Manad(3, 0, 0, 0, 1),
    5: Manad(1, 1, 2, 1, 5),
    6: Manad(0, 2, 1, 0, 2),
    7: Manad(1, 0, 0, 1, 0),
    8: Manad(2, 1, 1, 0, 3),
    9: Manad(1, 1, 0, 2, 6),
    10: Manad(0, 1, 2, 0, 4),
    11: Manad(2, 0, 0, 1, 3),
    12: Manad(1, 1, 1, 1, 2),
}


def _fordelning(antal: int, namn: tuple[str, str]) -> list[tuple[str, int]]:
    """A month's total split between two names of the catalogue (rows of 0 left out)."""
    forsta = antal // 2
    return [(n, a) for n, a in ((namn[0], forsta), (namn[1], antal - forsta)) if a]


def _csv(katalog: Path, namn: str, rubrik: str, rader: Iterable[Sequence[object]]) -> Path:
    """A file as Swedish Excel saves it: semicolons, UTF-8 with BOM. The installation has two
    förbund, so every row names its own (the import requires the column then)."""
    text = [f"{rubrik};Förbund", *(";".join([*map(str, rad), KORTNAMN]) for rad in rader)]
    fil = katalog / namn
    fil.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    return fil


INSATSER = [
    [FLODE, "Individinriktad", "Försteg", "2024-09-01", "", "Förberedande", "Deltagarflöde", ""],
    [
        VOLYM,
        "Strukturövergripande",
        "",
        "2025-01-01",
        "",
        "Utveckla samverkan",
        "Volym",
        "Tillfällen",
    ],
]


def _filer(katalog: Path) -> dict[str, Path]:
    """The files the verksamhetsutvecklare uploads, by what /data/ calls their content."""
    return {
        "Insatser": _csv(
            katalog,
            "insatser.csv",
            "Namn;Inriktning;Grupp;Startdatum;Slutdatum;Preciserad inriktning;Uppföljning;"
            "Volymenhet",
            INSATSER,
        ),
        "Ingående balans": _csv(
            katalog, "ingaende_balans.csv", "Insats;År;Kvinnor;Män", [[FLODE, AR, *INGAENDE]]
        ),
        "Månadsdata": _csv(
            katalog,
            "manadsdata.csv",
            "Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män",
            [
                [FLODE, AR, nr, m.nya_k, m.nya_m, m.avslutade_k, m.avslutade_m]
                for nr, m in MANADER.items()
            ],
        ),
        "Volymdata": _csv(
            katalog,
            "volymdata.csv",
            "Insats;År;Månad;Volym",
            [[VOLYM, AR, nr, m.volym] for nr, m in MANADER.items()],
        ),
        # The catalogues were copied into the new förbund: their names are the national ones.
        "Avslutade per avslutsanledning och månad": _csv(
            katalog,
            "avslutade_per_anledning.csv",
            "Insats;År;Månad;Avslutsanledning;Antal",
            [
                [FLODE, AR, nr, anledning, antal]
                for nr, m in MANADER.items()
                for anledning, antal in _fordelning(m.avslutade, ("Arbete", "Sjukdom"))
            ],
        ),
        "Nya per huvudman och månad": _csv(
            katalog,
            "nya_per_huvudman.csv",
            "Insats;År;Månad;Huvudman;Antal",
            [
                [FLODE, AR, nr, huvudman, antal]
                for nr, m in MANADER.items()
                for huvudman, antal in _fordelning(m.nya, ("Försäkringskassan", "Kommun"))
            ],
        ),
    }


def _lank(brev: mail.EmailMessage) -> str:
    hittad = re.search(r"/konton/inbjudan/\S+/", str(brev.body))
    assert hittad is not None
    return hittad[0]


def _importera(page: Page, vad: str, fil: Path, *, rader: int, godkand: bool = False) -> None:
    """Upload, preview (every row new), confirm: the three steps of /data/."""
    page.goto("/data/")
    page.get_by_role("link", name="Importera en fil").first.click()
    page.get_by_label("Filen innehåller").select_option(label=vad)
    page.get_by_label("Fil att importera").set_input_files(fil)
    if godkand:
        page.get_by_label(GODKAND_ETIKETT).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name=f"Förhandsgranskning: {vad}")).to_be_visible()
    expect(page.get_by_text(f"Filen {fil.name}: {rader} nya, 0 ändrade")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Bekräfta importen").click()
    expect(page.get_by_text(f"Importen är klar: {rader} nya, 0 ändrade")).to_be_visible()


def _celler(page: Page, radrubrik: str) -> list[int | None]:
    """The number cells of the table row headed `radrubrik` ("32 st" as 32, empty as None)."""
    rad: Locator = page.locator("tr", has=page.get_by_role("rowheader", name=radrubrik, exact=True))
    texter = [t.strip().removesuffix("st") for t in rad.locator("td.tal").all_inner_texts()]
    texter = [t for t in texter if not t.endswith("%")]
    return [tal(t) if t else None for t in texter]


def _punkter(page: Page, grupp: str) -> list[str]:
    """The checklist's points (their ids without `punkt-`) under the heading `grupp`."""
    region = page.get_by_role("region", name=grupp, exact=True)
    if not region.count():
        return []
    return [
        (id_ or "").removeprefix("punkt-")
        for id_ in region.locator("li").evaluate_all("(li) => li.map((e) => e.id)")
    ]


def test_ett_nytt_forbund_fran_inbjudan_till_bilaga_utan_admin(
    page: Page, settings: Settings, tmp_path: Path
) -> None:
    settings.FINSAM_IMPORT_TMP_DIR = tmp_path / "importer"
    adresser: list[str] = []
    page.context.on("request", lambda begaran: adresser.append(begaran.url))
    filer = _filer(tmp_path)

    # The systemadministratör: the förbund with its members, no logo, and the invitation.
    logga_in(page, "system")  # the demo's systemadministratör
    page.get_by_role("link", name="Lägg till förbund").click()
    page.get_by_label("Namn", exact=True).fill(NAMN)
    page.get_by_label("Kortnamn").fill(KORTNAMN)
    page.get_by_label("Befolkning per 31/12 år").fill(str(AR - 1))
    medlemmar = [
        ("Försäkringskassan", "stat", ""),
        ("Region Jönköpings län", "region", ""),
        ("Gislaveds kommun", "kommun", "29 781"),
    ]
    for i, (namn, typ, invanare) in enumerate(medlemmar, start=1):
        page.get_by_label(f"Namn, medlem {i}", exact=True).fill(namn)
        page.get_by_label(f"Typ, medlem {i}", exact=True).select_option(typ)
        # The label names the form's default year, whichever year is typed above.
        page.get_by_label(f"Invånare 31/12 det angivna året, medlem {i}", exact=True).fill(invanare)
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till förbundet").click()
    expect(page.get_by_role("heading", name=NAMN, level=1)).to_be_visible()
    page.get_by_role("link", name="Bjud in verksamhetsutvecklare").click()
    page.get_by_label("Förnamn").fill("Vera")
    page.get_by_label("Efternamn").fill("Holm")
    page.get_by_label("E-postadress").fill(VU_EPOST)
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("inbjuden, har inte accepterat än")).to_be_visible()
    logga_ut(page)

    # The verksamhetsutvecklare: a password from the one-time link, then an ordinary login.
    (brev,) = [b for b in mail.outbox if VU_EPOST in b.to]
    page.goto(_lank(brev))
    page.get_by_label("Välj lösenord").fill(NYTT_LOSENORD)
    page.get_by_label("Skriv lösenordet igen").fill(NYTT_LOSENORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara lösenordet och logga in").click()
    logga_ut(page)
    logga_in(page, VU_EPOST, NYTT_LOSENORD)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    # Kom igång: the catalogues came with the förbund; insatser and the year's figures are missing.
    page.goto(f"/kom-igang/{AR}/")
    expect(page.get_by_role("heading", name=f"Kom igång {AR}", level=1)).to_be_visible()
    saknas = _punkter(page, "Saknas")
    assert {"insatser", "manader"} <= set(saknas)
    assert {"medlemmar", "huvudman", "texter"} <= set(_punkter(page, "Klart"))

    # The imports, in the README's order; the months approved as they come in, the breakdowns
    # added to the approved months afterwards without unlocking any.
    _importera(page, "Insatser", filer["Insatser"], rader=2)
    _importera(page, "Ingående balans", filer["Ingående balans"], rader=1)
    _importera(page, "Månadsdata", filer["Månadsdata"], rader=12, godkand=True)
    _importera(page, "Volymdata", filer["Volymdata"], rader=12, godkand=True)
    for vad in ("Avslutade per avslutsanledning och månad", "Nya per huvudman och månad"):
        antal = len(filer[vad].read_text(encoding="utf-8-sig").splitlines()) - 1
        _importera(page, vad, filer[vad], rader=antal)

    page.goto(f"/kom-igang/{AR}/")
    klart = set(_punkter(page, "Klart"))
    assert {"insatser", "avslutsanledningar", "start", "manader"} <= klart
    assert not {"insatser", "avslutsanledningar", "start", "manader"} & set(
        _punkter(page, "Saknas")
    )

    # The bilaga: the year's flow as computed from the files, and no "Preliminär".
    nya = (sum(m.nya_k for m in MANADER.values()), sum(m.nya_m for m in MANADER.values()))
    avslutade = (
        sum(m.avslutade_k for m in MANADER.values()),
        sum(m.avslutade_m for m in MANADER.values()),
    )
    deltagare = (INGAENDE[0] + nya[0], INGAENDE[1] + nya[1])
    pagaende = (deltagare[0] - avslutade[0], deltagare[1] - avslutade[1])
    assert min(pagaende) >= 0
    page.goto(f"/rapporter/{AR}/")
    expect(page.get_by_role("heading", name="Uppföljning FINSAM", level=1)).to_be_visible()
    expect(page.get_by_text(NAMN.upper(), exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("Preliminär"))).to_have_count(0)
    for rubrik, (k, m) in (
        (f"Deltagare totalt {AR}", deltagare),
        (f"Deltagare påbörjade {AR}", nya),
        (f"Deltagare avslutade {AR}", avslutade),
        (f"Deltagare pågående (31/12-{AR})", pagaende),
    ):
        assert _celler(page, rubrik) == [k + m, k, m], rubrik
    assert _celler(page, FLODE) == [sum(deltagare), sum(nya), sum(avslutade), sum(pagaende)]
    # The breakdowns reached the approved months: the new participants from Försäkringskassan.
    fran_fk = sum(m.nya // 2 for m in MANADER.values())
    assert _celler(page, "Försäkringskassan") == [fran_fk]
    volym = sum(m.volym for m in MANADER.values())
    assert _celler(page, VOLYM) == [volym, None]  # strukturövergripande, individinriktade

    # The PDF, built when it is asked for, with the förbund's name and the year's participants.
    with page.expect_download(timeout=60_000) as nedladdning:
        page.get_by_role("link", name=re.compile("^Ladda ned PDF")).click()
    assert nedladdning.value.suggested_filename == f"Uppfoljning-FINSAM-{KORTNAMN}-{AR}.pdf"
    pdf = PdfReader(BytesIO(Path(nedladdning.value.path()).read_bytes()))
    text = " ".join(" ".join(sida.extract_text().split()) for sida in pdf.pages)
    assert NAMN in text
    k, m = deltagare
    assert f"Deltagare totalt {AR} {k + m} {k} {m}" in text

    forbund = Forbund.objects.get(kortnamn=KORTNAMN)
    assert forbund.insatser.count() == 2
    vagar = [urlsplit(a).path for a in adresser]
    assert "/data/importera/bekrafta/" in vagar
    assert not [v for v in vagar if v.startswith("/admin/")]
