"""The socio-economic effect models: seed 004 to the krona, and a transition example by hand."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from effekter import modell
from effekter.modell import (
    Arseffekt,
    Ersattning,
    Forflyttning,
    Inkomstsida,
    Nyckeltal,
    berakna_effekt,
    effekt_per_bidragskrona,
    enkel_effekt,
    kronor,
    om_effekt,
    tkr,
    tusental_kronor,
    validera,
)
from effekter.nyckeltal import STANDARD

NBSP = "\xa0"


# --- The simple model (seed 004) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("antal", "belopp", "i_tkr"),
    [
        (18, 3_499_200, "3 499"),  # SF Södra Vätterbygden
        (4, 777_600, "778"),  # Finnvedens SF
        (44, 8_553_600, "8 554"),  # Höglandets SF
        (42, 8_164_800, "8 165"),  # SE-Höglandet
        (2, 388_800, "389"),  # IT-spåret
    ],
)
def test_enkla_modellen_ger_seed_004_pa_kronan(antal: int, belopp: int, i_tkr: str) -> None:
    effekt = enkel_effekt(antal)
    assert effekt.per_person_och_ar == 194_400
    assert effekt.belopp == belopp
    assert effekt.tkr == i_tkr.replace(" ", NBSP)


def test_enkla_modellen_sager_hur_den_raknat() -> None:
    effekt = enkel_effekt(42)
    assert effekt.berakning == f"42 × 194{NBSP}400 kr = 8{NBSP}164{NBSP}800 kr"
    assert effekt.berakning_per_person == (
        f"12 × (10{NBSP}500 kr + 5{NBSP}700 kr) = 194{NBSP}400 kr per person och år"
    )


def test_enkla_modellen_med_andra_nyckeltal_och_oren() -> None:
    effekt = enkel_effekt(3, kostnad_per_manad=Decimal("10000.50"), skatt_per_manad=6000)
    assert effekt.per_person_och_ar == 192_006  # 12 × 16 000,50
    assert effekt.belopp == 576_018
    assert effekt.berakning == f"3 × 192{NBSP}006 kr = 576{NBSP}018 kr"
    assert "10\xa0000,50 kr" in effekt.berakning_per_person
    assert enkel_effekt(-1, kostnad_per_manad=Decimal("-0.05"), skatt_per_manad=0).berakning == (
        "−1 × −0,60 kr = 1 kr"
    )


def test_tkr_avrundas_halvt_uppat() -> None:
    assert [tusental_kronor(b) for b in (3_499_200, 777_600, 8_553_600)] == [3_499, 778, 8_554]
    assert [tusental_kronor(b) for b in (1_500, 2_500, 2_499, -1_500)] == [2, 3, 2, -2]
    assert tkr(12_345_678) == f"12{NBSP}346"
    assert tkr(-2_500) == "−3"


def test_effekt_per_bidragskrona_seed_004() -> None:
    # 3 499 200 / 11 148 000 = 0,3139; 777 600 / 5 058 000 = 0,1537; 8 553 600 / 8 036 000 = 1,0644
    assert effekt_per_bidragskrona(3_499_200, 11_148_000) == Decimal("0.31")
    assert effekt_per_bidragskrona(777_600, 5_058_000) == Decimal("0.15")
    assert effekt_per_bidragskrona(8_553_600, 8_036_000) == Decimal("1.06")
    assert effekt_per_bidragskrona(1, 8) == Decimal("0.13")  # 0,125 half up
    assert effekt_per_bidragskrona(3_499_200, 0) is None


def test_kronor_avrundas_halvt_uppat_fran_noll() -> None:
    assert [kronor(Decimal(x)) for x in ("0.5", "1.5", "2.5", "-0.5", "2.49")] == [1, 2, 3, -1, 2]


# --- The transition model, by hand ------------------------------------------------------------

ENKLA = Nyckeltal(
    basar=2024,
    ersattningar=(
        Ersattning("fs", "Försörjningsstöd", "kommun", Decimal(100_000), Decimal("0.10"), False),
        Ersattning("sjp", "Sjukpenning", "stat", Decimal(200_000), Decimal(0), True),
        Ersattning("studiemedel", "Studiemedel", "stat", Decimal(50_000), Decimal(0), False),
    ),
    inkomstsida=Inkomstsida(
        arslon=Decimal(300_000),
        kommunalskatt=Decimal("0.20"),
        regionskatt=Decimal("0.10"),
        arbetsgivaravgift=Decimal("0.30"),
        arlig_loneokning=Decimal("0.10"),
        jobbskatteavdrag=Decimal(20_000),
    ),
)
EXEMPEL = [Forflyttning("fs", "arbete", 3), Forflyttning("sjp", "studier", 2)]


def test_exempel_raknat_for_hand() -> None:
    # Year 1 (2024). 3 from försörjningsstöd to arbete, per person:
    #   kommun saves 100 000 and taxes the wage: 100 000 + 0,20 × 300 000 = 160 000; × 3 = 480 000
    #   region taxes the wage: 0,10 × 300 000 = 30 000; × 3 = 90 000
    #   stat: arbetsgivaravgift − jobbskatteavdrag = 0,30 × 300 000 − 20 000 = 70 000; × 3 = 210 000
    # 2 from sjukpenning to studier, per person:
    #   stat saves 200 000 and pays studiemedel 50 000: +150 000; × 2 = 300 000
    #   kommun loses the tax on sjukpenning: −0,20 × 200 000 = −40 000; × 2 = −80 000
    #   region: −0,10 × 200 000 = −20 000; × 2 = −40 000
    ar1 = Arseffekt(2024, kommun=480_000 - 80_000, region=90_000 - 40_000, stat=210_000 + 300_000)
    # Year 2 (2025): försörjningsstöd 110 000, wage 330 000, jobbskatteavdrag 22 000 (+10 %).
    #   arbete: kommun (110 000 + 66 000) × 3 = 528 000; region 33 000 × 3 = 99 000;
    #           stat (99 000 − 22 000) × 3 = 231 000. studier: as in year 1 (no increase).
    ar2 = Arseffekt(2025, kommun=528_000 - 80_000, region=99_000 - 40_000, stat=231_000 + 300_000)

    effekt = berakna_effekt(ENKLA, EXEMPEL)

    assert effekt.per_ar == (ar1, ar2)
    assert [a.totalt for a in effekt.per_ar] == [960_000, 1_038_000]
    assert effekt.kumulativt == (
        ar1,
        Arseffekt(2025, kommun=848_000, region=109_000, stat=1_041_000),
    )
    assert effekt.totalt == 1_998_000
    arbete, studier = effekt.rader
    assert arbete.text == "3 från försörjningsstöd till arbete"
    assert arbete.per_ar == (
        Arseffekt(2024, kommun=480_000, region=90_000, stat=210_000),
        Arseffekt(2025, kommun=528_000, region=99_000, stat=231_000),
    )
    assert studier.text == "2 från sjukpenning till studier"
    assert studier.per_ar[1] == Arseffekt(2025, kommun=-80_000, region=-40_000, stat=300_000)
    assert studier.totalt == 2 * 180_000


def test_horisonten_ger_ett_ar_per_ar() -> None:
    effekt = berakna_effekt(ENKLA, EXEMPEL, horisont=3)
    assert [a.ar for a in effekt.per_ar] == [2024, 2025, 2026]
    # Year 3: försörjningsstöd 121 000, wage 363 000: kommun (121 000 + 72 600) × 3 − 80 000
    assert effekt.per_ar[2].kommun == 500_800
    assert effekt.kumulativt[2].kommun == 400_000 + 448_000 + 500_800


def test_till_annan_ersattning_och_oforandrad() -> None:
    rader = [Forflyttning("fs", "sjp", 1), Forflyttning("sjp", "oforandrad", 5)]
    effekt = berakna_effekt(ENKLA, rader, horisont=1)
    # kommun saves 100 000 and taxes sjukpenning 0,20 × 200 000; region 0,10 × 200 000; stat pays it
    assert effekt.per_ar == (Arseffekt(2024, kommun=140_000, region=20_000, stat=-200_000),)
    assert effekt.rader[1].totalt == 0
    assert effekt.rader[1].text == "5 med sjukpenning oförändrat"


def test_varje_cell_avrundas_en_gang_halvt_uppat() -> None:
    nyckeltal = Nyckeltal(
        basar=2024,
        ersattningar=(
            Ersattning("fs", "Försörjningsstöd", "kommun", Decimal(0), Decimal(0), False),
        ),
        inkomstsida=Inkomstsida(
            arslon=Decimal(1),
            kommunalskatt=Decimal("0.25"),
            regionskatt=Decimal("0.15"),
            arbetsgivaravgift=Decimal(0),
            arlig_loneokning=Decimal(0),
        ),
    )
    # Each row gives kommun 0,25 and region 0,15: rounded per row 0 and 0; the group 0,50 → 1
    # and 0,30 → 0, so the group is rounded from the exact sum, not from rounded rows.
    effekt = berakna_effekt(nyckeltal, [Forflyttning("fs", "arbete", 1)] * 2, horisont=1)
    assert [r.per_ar[0].kommun for r in effekt.rader] == [0, 0]
    assert effekt.per_ar[0] == Arseffekt(2024, kommun=1, region=0, stat=0)


# --- The default key figures and seed 004's sign statement --------------------------------------


def test_standardnyckeltalen_har_seed_004_s_atta_ersattningar_med_kalla() -> None:
    assert validera(STANDARD, []) == []
    assert len(STANDARD.ersattningar) == 8
    assert all(e.kalla for e in STANDARD.ersattningar) and STANDARD.inkomstsida.kalla
    assert STANDARD.inkomstsida.arslon == 267_120  # 60 % of 12 × 37 100
    fs = STANDARD.ersattning("forsorjningsstod")
    assert fs is not None and fs.betalare == "kommun"
    assert {e.betalare for e in STANDARD.ersattningar if e.kod != "forsorjningsstod"} == {"stat"}


def test_fran_forsorjningsstod_till_statliga_ersattningar_plus_for_kommun_och_region() -> None:
    """Seed 004: "På två år blir det positiva effekter för kommun och region men negativa
    effekter för staten", driven by state benefits instead of municipal ones."""
    blandning = [
        Forflyttning("forsorjningsstod", "sjukersattning", 8),
        Forflyttning("forsorjningsstod", "aktivitetsersattning", 4),
        Forflyttning("forsorjningsstod", "a_kassa", 3),
        Forflyttning("forsorjningsstod", "arbete", 4),
        Forflyttning("forsorjningsstod", "studier", 2),
        Forflyttning("sjukpenning", "oforandrad", 6),
    ]
    tva_ar = berakna_effekt(STANDARD, blandning).kumulativt[-1]
    assert tva_ar.ar == 2025
    assert tva_ar.kommun > 0
    assert tva_ar.region > 0
    assert tva_ar.stat < 0


# --- What-if ----------------------------------------------------------------------------------


def test_om_effekten_ar_linjar_med_enkla_nyckeltal() -> None:
    extra = [Forflyttning("fs", "arbete", 10)]
    om = om_effekt(ENKLA, EXEMPEL, extra)
    assert om.matris == berakna_effekt(ENKLA, EXEMPEL)
    # 10 more from försörjningsstöd to arbete, year 1: 10 × (160 000, 30 000, 70 000)
    assert om.tillagg.per_ar[0] == Arseffekt(2024, kommun=1_600_000, region=300_000, stat=700_000)
    for med, utan, tillagg in zip(
        om.med_tillagg.per_ar, om.matris.per_ar, om.tillagg.per_ar, strict=True
    ):
        for betalare in modell.BETALARE:
            assert med.for_betalare(betalare) == (
                utan.for_betalare(betalare) + tillagg.for_betalare(betalare)
            )


def test_om_effekten_ar_linjar_med_standardnyckeltalen_inom_avrundningen() -> None:
    matris = [Forflyttning("forsorjningsstod", "sjukersattning", 7)]
    extra = [Forflyttning("forsorjningsstod", "arbete", 10), Forflyttning("a_kassa", "studier", 3)]
    om = om_effekt(STANDARD, matris, extra, horisont=4)
    assert om.tillagg.totalt > 0
    for med, utan, tillagg in zip(
        om.med_tillagg.per_ar, om.matris.per_ar, om.tillagg.per_ar, strict=True
    ):
        for betalare in modell.BETALARE:
            summa = utan.for_betalare(betalare) + tillagg.for_betalare(betalare)
            assert abs(med.for_betalare(betalare) - summa) <= 1


# --- Validation -----------------------------------------------------------------------------


def test_validering_ger_svenska_meddelanden_och_kastar_inte() -> None:
    rader = [
        Forflyttning("fs", "arbete", 3),
        Forflyttning("lonebidrag", "arbete", 1),
        Forflyttning("fs", "pension", -2),
    ]
    assert validera(ENKLA, rader, horisont=11) == [
        "Tidshorisonten ska vara 1–10 år (inte 11).",
        "Rad 2: okänd ersättning ”lonebidrag” att gå från.",
        "Rad 3: okänt mål ”pension” (arbete, studier, oförändrad eller en ersättning).",
        "Rad 3: antalet får inte vara negativt (-2).",
    ]
    assert validera(ENKLA, EXEMPEL, horisont=0) == ["Tidshorisonten ska vara 1–10 år (inte 0)."]
    assert validera(ENKLA, EXEMPEL, horisont=10) == []


def test_validering_av_nyckeltalen() -> None:
    utan_studiemedel = Nyckeltal(
        basar=2024,
        ersattningar=(*ENKLA.ersattningar[:2], ENKLA.ersattningar[0]),
        inkomstsida=Inkomstsida(
            arslon=Decimal(300_000),
            kommunalskatt=Decimal("20.67"),
            regionskatt=Decimal("0.10"),
            arbetsgivaravgift=Decimal("0.30"),
            arlig_loneokning=Decimal(0),
        ),
    )
    assert validera(utan_studiemedel, [Forflyttning("sjp", "studier", 1)]) == [
        "Ersättningen ”fs” finns flera gånger bland nyckeltalen.",
        "Kommunalskatten ska anges som andel mellan 0 och 1 (0,2067 för 20,67 %).",
        "Rad 1: studier kräver nyckeltal för studiemedel.",
    ]


def test_berakningen_vagrar_ogiltig_indata() -> None:
    with pytest.raises(ValueError, match="okänd ersättning"):
        berakna_effekt(ENKLA, [Forflyttning("x", "arbete", 1)])


def test_modulen_ar_ren() -> None:
    """No Django and no database: the module may be used anywhere, and tested without either."""
    for namn in ("modell.py", "nyckeltal.py"):
        trad = ast.parse((Path(modell.__file__).parent / namn).read_text())
        moduler = {n.module or "" for n in ast.walk(trad) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(trad) if isinstance(n, ast.Import) for a in n.names
        }
        assert not {m for m in moduler if m.split(".")[0] == "django"}, namn
