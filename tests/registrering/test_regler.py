"""The rules of `registrering.regler`, each on its own: plain values in, Swedish messages out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registrering import regler
from registrering.ledger import Kon
from registrering.manadsliggare import Manadssaldo
from registrering.models import Insats, Manadsrapport
from registrering.regler import HELA, Fel

IDAG = dt.date(2026, 11, 23)
Status = Manadsrapport.Status


def texter(fel: list[Fel]) -> list[tuple[str, str]]:
    return [(f.falt, f.text) for f in fel]


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tal"),
    [
        ("12", 12),
        (" 3 ", 3),
        ("-2", -2),
        ("−4", -4),
        ("1 200", 1200),
        ("1 873", 1873),
        ("1\u00a0873", 1873),
        ("7,0", 7),
    ],
)
def test_las_heltal(text, tal):
    assert regler.las_heltal(text, tusental=True) == tal


def test_las_heltal_tar_femton_siffror_och_inledande_nollor():
    assert regler.las_heltal("9" * 15) == int("9" * 15)
    assert regler.las_heltal("0" * 40 + "7") == 7


@pytest.mark.parametrize(
    ("text", "meddelande"),
    [
        ("1,5", "Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,5”)."),
        ("2.25", "Ange ett heltal utan decimaler, t.ex. 12 (inte ”2.25”)."),
        (
            "1,500",
            "Ange ett heltal utan decimaler, t.ex. 12 (inte ”1,500”). Tusental skrivs med "
            "mellanslag, t.ex. 1 500.",
        ),
        (
            "1.873.000",
            "Ange ett heltal utan decimaler, t.ex. 12 (inte ”1.873.000”). Tusental skrivs med "
            "mellanslag, t.ex. 1 500.",
        ),
        ("٣", "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”٣”)."),
        ("𝟓", "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”𝟓”)."),
        ("tre", "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”tre”)."),
        ("1e3", "Ange ett heltal med siffrorna 0–9, t.ex. 3 (inte ”1e3”)."),
        # Python's int() refuses 4 300 digits with an English message; ours comes first.
        ("9" * 5000, "Talet är orimligt stort (5000 siffror)."),
        ("-" + "1" * 16, "Talet är orimligt stort (16 siffror)."),
    ],
)
def test_las_heltal_tar_bara_siffrorna_0_till_9(text, meddelande):
    with pytest.raises(ValueError) as exc:
        regler.las_heltal(text, tusental=True)
    assert str(exc.value) == meddelande


def test_antal():
    assert regler.antal(0, falt="x", etikett="Nya") == []
    assert texter(regler.antal(-1, falt="x", etikett="Nya")) == [
        ("x", "Nya kan inte vara mindre än 0.")
    ]
    assert texter(regler.antal(1.5, falt="x", etikett="Nya")) == [
        ("x", "Nya måste vara ett heltal.")
    ]
    assert texter(regler.antal(True, falt="x", etikett="Nya")) == [
        ("x", "Nya måste vara ett heltal.")
    ]
    assert texter(regler.antal(100_001, falt="x", etikett="Nya")) == [
        ("x", "Nya kan vara högst 100\xa0000 (här 100\xa0001).")
    ]


def test_artal():
    assert regler.artal(2000) == regler.artal(2100) == []
    assert texter(regler.artal(1999)) == [("ar", "Året ska vara ett årtal mellan 2000 och 2100.")]


def test_kontrollera_samlar_alla_meddelanden_per_falt():
    with pytest.raises(ValidationError) as exc:
        regler.kontrollera([Fel("a", "ett"), Fel(HELA, "hela")], [Fel("a", "två")])
    assert exc.value.message_dict == {"a": ["ett", "två"], "__all__": ["hela"]}
    regler.kontrollera([], [])  # nothing to say: no exception


# --- the month ----------------------------------------------------------------------------------


def insats(**kwargs) -> Insats:
    varden = {
        "namn": "Försteg Testby",
        "inriktning": Insats.Inriktning.INDIVID,
        "startdatum": dt.date(2020, 1, 1),
        "slutdatum": None,
    }
    return Insats(**{**varden, **kwargs})


@pytest.mark.parametrize(
    ("ar", "manad", "meddelande"),
    [
        (2026, 13, "Månaden måste vara ett tal från 1 till 12."),
        (1999, 5, "Året ska vara ett årtal mellan 2000 och 2100."),
        (
            2026,
            11,
            "November 2026 är inte slut än. Månaden kan rapporteras från och med 1/12 2026.",
        ),
        (2019, 12, "Försteg Testby pågick inte under december 2019."),
    ],
)
def test_manad_kan_rapporteras(ar, manad, meddelande):
    fel = regler.manad_kan_rapporteras(insats=insats(), ar=ar, manad=manad, idag=IDAG)
    assert [f.text for f in fel] == [meddelande]


def test_en_insats_som_slutat_kan_inte_rapporteras_efter_slutet():
    slutad = insats(slutdatum=dt.date(2025, 12, 31))
    assert regler.manad_kan_rapporteras(insats=slutad, ar=2025, manad=12, idag=IDAG) == []
    assert regler.manad_kan_rapporteras(insats=slutad, ar=2026, manad=1, idag=IDAG)


@pytest.mark.parametrize(
    ("status", "kan_godkanna", "oppen"),
    [
        (None, False, True),
        (Status.UTKAST, False, True),
        (Status.RETURNERAD, False, True),
        (Status.INSKICKAD, False, False),
        (Status.INSKICKAD, True, True),
        (Status.GODKAND, True, False),
        (Status.REGISTRERAD, True, False),
    ],
)
def test_manad_oppen(status, kan_godkanna, oppen):
    fel = regler.manad_oppen(
        insats=insats(), ar=2025, manad=3, status=status, kan_godkanna=kan_godkanna
    )
    assert (fel == []) is oppen
    if status in (Status.GODKAND, Status.REGISTRERAD):
        assert fel[0].text == (
            "Försteg Testby, mars 2025 är godkänd och låst. Verksamhetsutvecklaren kan låsa upp "
            "månaden med en motivering."
        )


def test_flode_per_kon():
    assert regler.flode(start=Kon(2, 0), nya=Kon(1, 1), avslutade=Kon(3, 1)) == []
    assert texter(regler.flode(start=Kon(2, 0), nya=Kon(1, 0), avslutade=Kon(4, 1))) == [
        (
            "avslutade_kvinnor",
            "Fler avslutade kvinnor (4) än det fanns deltagare att avsluta "
            "(2 pågående vid månadens början + 1 nya).",
        ),
        (
            "avslutade_man",
            "Fler avslutade män (1) än det fanns deltagare att avsluta "
            "(0 pågående vid månadens början + 0 nya).",
        ),
    ]


INGA = Kon()


def saldo(ar: int, manad: int, start: Kon, nya=INGA, avslutade=INGA, justering=INGA):
    return Manadssaldo(1, ar, manad, start, nya, avslutade, justering)


def test_liggaren_foljer_manaderna_efter_andringen():
    saldon = [
        saldo(2025, 1, Kon(1, 1), avslutade=Kon(3, 0)),  # before the change: not looked at
        saldo(2025, 2, Kon(1, 1)),
        saldo(2025, 3, Kon(1, 1), avslutade=Kon(0, 2)),
        saldo(2025, 4, Kon(1, -1), avslutade=Kon(0, 1)),
    ]
    fel = regler.liggaren(saldon, fran=(2025, 2), orsak="Ändringen")
    assert texter(fel) == [
        (
            HELA,
            "Ändringen gör att pågående män blir -1 i mars 2025. Kontrollera siffrorna för den "
            "månaden först.",
        )
    ]
    assert regler.liggaren(saldon, fran=(2025, 2), orsak="Ändringen", utom={"man"}) == []


def test_liggaren_raknar_med_justeringen():
    saldon = [saldo(2025, 12, Kon(2, 0), justering=Kon(-3, 0))]
    fel = regler.liggaren(saldon, fran=(2025, 12), orsak="Justeringen", falt={"kvinnor": "k"})
    assert texter(fel) == [
        (
            "k",
            "Justeringen gör att pågående kvinnor blir -1 i december 2025. Kontrollera siffrorna "
            "för den månaden först.",
        )
    ]


def test_fordelning():
    giltiga = {1: "Arbete", 2: "Studier"}
    kwargs = {"giltiga": giltiga, "vad": "avslutade", "per": "avslutsanledning", "falt": "avslut"}
    assert regler.fordelning({}, total=3, **kwargs) == []  # not given
    assert regler.fordelning({1: 2, 2: 1}, total=3, **kwargs) == []
    assert texter(regler.fordelning({1: 2}, total=3, **kwargs)) == [
        ("avslut", "Fördelningen per avslutsanledning (2) stämmer inte med antalet avslutade (3).")
    ]
    assert texter(regler.fordelning({9: 3}, total=3, **kwargs)) == [
        ("avslut", "Okänd avslutsanledning för den här insatsen.")
    ]
    assert texter(regler.fordelning({1: -1}, total=3, **kwargs)) == [
        ("avslut", "Arbete kan inte vara mindre än 0.")
    ]


def test_volym():
    enhet = Insats.Volymenhet.UNIKA_INDIVIDER
    kwargs = {"enhet": enhet, "enhet_namn": "Unika individer under året"}
    assert texter(regler.volym(varde=None, **kwargs)) == [
        ("volym", "Ange volymen i unika individer under året.")
    ]
    assert regler.volym(varde=10, tidigare=8, senare=(12, "maj 2025"), **kwargs) == []
    assert texter(regler.volym(varde=7, tidigare=8, **kwargs)) == [
        (
            "volym",
            "Antalet unika individer hittills i år kan inte vara lägre än förra rapporterade "
            "månadens (8).",
        )
    ]
    assert texter(regler.volym(varde=13, senare=(12, "maj 2025"), **kwargs)) == [
        ("volym", "Antalet unika individer hittills i år kan inte vara högre än i maj 2025 (12).")
    ]
    # Other units are sums of months: a lower month is fine.
    assert regler.volym(enhet="tillfallen", enhet_namn="Tillfällen", varde=1, tidigare=9) == []


def test_flode_eller_volym():
    assert texter(regler.flode_eller_volym(ar_volyminsats=True, har_flode=True, har_volym=True))
    assert texter(
        regler.flode_eller_volym(ar_volyminsats=False, har_flode=True, har_volym=True)
    ) == [("volym", "Volym rapporteras bara för volyminsatser.")]


# --- corrections ----------------------------------------------------------------------------------


def test_justering():
    assert regler.justering(kvinnor=-1, man=0, anledning="Inventering", manad=12) == []
    assert texter(regler.justering(kvinnor=0, man=0, anledning=" ", manad=13)) == [
        ("kvinnor", "En justering måste ändra antalet."),
        ("anledning", "Ange anledningen till justeringen."),
        ("manad", "Månaden måste vara ett tal från 1 till 12."),
    ]
    assert texter(regler.justering_pagaende(slut_fore=Kon(2, 5), andring=Kon(-3, -5))) == [
        ("kvinnor", "Justeringen ger färre än noll pågående kvinnor (2 pågående, justering −3).")
    ]


def test_ingaende_balans():
    kwargs = {"forslag": Kon(10, 10), "har_tidigare_flode": True}
    assert regler.ingaende_balans(balans=Kon(10, 10), anledning="", **kwargs) == []
    assert regler.ingaende_balans(balans=Kon(3, 3), anledning="Inventering", **kwargs) == []
    assert texter(regler.ingaende_balans(balans=Kon(3, 3), anledning="", **kwargs)) == [
        (
            "anledning",
            "Balansen skiljer sig från förra årets utgående (10 kvinnor, 10 män). Ange "
            "anledningen.",
        )
    ]
    # The first year with data: whatever is entered is the start.
    assert (
        regler.ingaende_balans(
            balans=Kon(3, 3), forslag=Kon(), har_tidigare_flode=False, anledning=""
        )
        == []
    )


# --- the insats ---------------------------------------------------------------------------------


def test_insatsens_attribut():
    P = Insats.PreciseradInriktning
    ok = {
        "inriktning": Insats.Inriktning.INDIVID,
        "preciserad": P.FORBEREDANDE,
        "uppfoljning": Insats.Uppfoljning.DELTAGARFLODE,
        "volymenhet": "",
        "startdatum": dt.date(2025, 1, 1),
        "slutdatum": None,
    }
    assert regler.insats(**ok) == []
    assert texter(regler.insats(**{**ok, "preciserad": P.KOMPETENSHOJANDE})) == [
        (
            "preciserad_inriktning",
            "”Kompetenshöjande” hör inte till inriktningen individinriktad.",
        )
    ]
    assert texter(
        regler.insats(**{**ok, "uppfoljning": Insats.Uppfoljning.VOLYM, "volymenhet": ""})
    )[0][0] == ("volymenhet")
    assert texter(regler.insats(**{**ok, "slutdatum": dt.date(2024, 12, 31)})) == [
        ("slutdatum", "Slutdatum (31/12 2024) kan inte vara före startdatum (1/1 2025).")
    ]


def test_insatsens_fasta_falt():
    befintlig = insats(uppfoljning=Insats.Uppfoljning.DELTAGARFLODE)
    assert texter(
        regler.insats_fasta_falt(
            befintlig=befintlig, nya_varden={"inriktning": "struktur"}, far_andra=False
        )
    ) == [
        (
            "inriktning",
            "Kan inte ändras för en insats som redan finns (som i Uppföljning Finsam): "
            "Försteg Testby är ”Individinriktad”.",
        )
    ]
    assert (
        regler.insats_fasta_falt(
            befintlig=befintlig, nya_varden={"inriktning": "struktur"}, far_andra=True
        )
        == []
    )


# --- economy and the bilaga -----------------------------------------------------------------------


def test_utfall():
    assert regler.utfall(belopp=Decimal(125000), manad=3, kvartal=None) == []
    assert texter(regler.utfall(belopp=Decimal(1), manad=3, kvartal=1)) == [
        (HELA, "Ange antingen en månad eller ett kvartal.")
    ]
    for ogiltigt in (Decimal("NaN"), Decimal("Infinity"), "12", True):
        assert texter(regler.utfall(belopp=ogiltigt, manad=1, kvartal=None)) == [
            ("belopp", "Ange ett belopp i kronor, t.ex. 125 000.")
        ]
    assert texter(regler.utfall(belopp=Decimal("10.5"), manad=1, kvartal=None)) == [
        ("belopp", "Ange beloppet i hela kronor.")
    ]
    assert texter(regler.utfall(belopp=Decimal("1e11"), manad=None, kvartal=2)) == [
        ("belopp", "Beloppet är orimligt stort.")
    ]


@pytest.mark.parametrize(
    ("datum", "ok"),
    [
        (None, True),
        (dt.date(2025, 1, 1), True),
        (dt.date(2027, 12, 31), True),
        (dt.date(1, 1, 1), False),
        (dt.date(9999, 12, 31), False),
        (dt.date(2024, 12, 31), False),
    ],
)
def test_sammanstallningsdatum(datum, ok):
    fel = regler.sammanstallningsdatum(datum, ar=2025)
    assert (fel == []) is ok
    if not ok:
        assert fel[0].text == "Ange ett datum mellan 1/1 2025 och 31/12 2027."


def test_arstotal():
    assert regler.arstotal(deltagare=Kon(5, 5), nya=Kon(5, 0), avslutade=Kon(0, 5)) == []
    assert texter(regler.arstotal(deltagare=Kon(5, 5), nya=Kon(6, 0), avslutade=Kon(0, 0))) == [
        ("nya_kvinnor", "Fler nya kvinnor (6) än deltagare kvinnor (5).")
    ]
