"""The demo förbund's NNS answers (Indikatorer för finansiell samordning) for the collection years
2020, 2022, 2024 and 2026: seed 003's n per question and respondent group (the 2026 n made up in
the same proportions), shares that improve a little over the years, and too few answers from the
styrelse and the parternas chefsgrupp to be shown. Made-up figures: every round's name starts
with "Demodata", which the report shows as a note.

Written through `indikatorsvar_importera`, as a förbund's import of earlier years would be; only
what is missing or differs is written, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt

from registrering import enkatkatalog, services
from registrering import models as m
from registrering.kalender import insamlingsperiod

AR = (2020, 2022, 2024, 2026)
PREFIX = "Demodata"

#: n per question of the catalogue's NNS questions, in the catalogue's order, for 2020, 2022,
#: 2024 and 2026 (None: not asked that year, as indicators 4 and 16 before 2022 in seed 003).
N: tuple[tuple[int | None, ...], ...] = (
    (48, 55, 86, 92),  # 1, deltagare pågående
    (50, 33, 64, 70),  # 1, deltagare avslutade
    (50, 55, 86, 92),  # 2
    (50, 33, 64, 70),
    (15, 54, 86, 92),  # 3
    (19, 33, 64, 70),
    (13, 15, 24, 26),  # 3, personal
    (None, 37, 55, 60),  # 4
    (None, 25, 50, 55),
    (48, 54, 86, 92),  # 5
    (50, 33, 64, 70),
    (19, 33, 64, 70),  # 6: Nej/Ja
    (46, 29, 58, 64),
    (46, 29, 58, 64),
    (13, 15, 24, 26),  # 6, personal
    (48, 54, 86, 92),  # 7
    (50, 33, 62, 68),
    (13, 15, 24, 26),  # 8, personal
    (13, 15, 24, 26),
    (48, 55, 84, 90),  # 9
    (50, 33, 63, 69),
    (13, 15, 24, 26),
    (13, 15, 24, 26),  # 10
    (13, 15, 24, 26),  # 12
    (13, 15, 24, 26),  # 13
    (13, 15, 24, 26),
    (3, 2, 4, 3),  # 14, styrelsen: too few
    (2, 3, 2, 4),  # 14, parternas chefsgrupp: too few
    (3, 2, 4, 3),  # 15
    (2, 3, 2, 4),
    (None, 14, 23, 25),  # 16
    (None, 14, 23, 25),
)
#: The shares of a six-step scale and of Nej/Ja per year, from the least to the most.
SEXSTEG = {
    2020: (5, 9, 19, 27, 23, 17),
    2022: (4, 8, 18, 28, 24, 18),
    2024: (3, 7, 16, 28, 25, 21),
    2026: (3, 6, 15, 27, 27, 22),
}
TVASTEG = {2020: (42, 58), 2022: (39, 61), 2024: (31, 69), 2026: (28, 72)}


def fordela(n: int, andelar: tuple[int, ...], fraga_nr: int) -> tuple[int, ...]:
    """n answers over the options in proportion to `andelar`, nudged per question so that the
    questions differ (largest remainder, so the counts add up to n)."""
    vikter = [max(1, a + (fraga_nr * 7 + i * 3) % 5 - 2) for i, a in enumerate(andelar)]
    exakta = [n * v / sum(vikter) for v in vikter]
    hela = [int(x) for x in exakta]
    for i in sorted(range(len(exakta)), key=lambda i: hela[i] - exakta[i])[: n - sum(hela)]:
        hela[i] += 1
    return tuple(hela)


def rader(forbund: m.Forbund, idag: dt.date) -> list[services.Indikatorsvar]:
    """Every demo count, for the collection years that have begun by `idag`."""
    fragor = {
        (f.respondentgrupp, f.text): f
        for f in m.Enkatfraga.objects.filter(
            forbund=forbund, enkat__slag=m.Enkat.Slag.NNS
        ).prefetch_related("alternativ")
    }
    assert len(N) == len(enkatkatalog.NNS_FRAGOR), "one row of n per catalogue question"
    result = []
    for nr, (katalogfraga, n_per_ar) in enumerate(zip(enkatkatalog.NNS_FRAGOR, N, strict=True)):
        fraga = fragor.get((katalogfraga.respondentgrupp, katalogfraga.text))
        if fraga is None:  # the förbund has changed the question: it keeps its own answers
            continue
        alternativ = list(fraga.alternativ.all())
        for ar, n in zip(AR, n_per_ar, strict=True):
            if n is None or insamlingsperiod(ar)[0] > idag:
                continue
            andelar = SEXSTEG[ar] if len(alternativ) == 6 else TVASTEG[ar]
            for alt, antal in zip(alternativ, fordela(n, andelar, nr), strict=True):
                result.append(
                    services.Indikatorsvar(
                        ar=ar, respondentgrupp=fraga.respondentgrupp, alternativ=alt, antal=antal
                    )
                )
    return result


def _namn(rad: services.Indikatorsvar) -> str:
    return services.importtillfalle_namn(rad.ar, rad.respondentgrupp, PREFIX)


def ladda(*, user: m.User, forbund: m.Forbund, idag: dt.date, import_fran: str) -> None:
    """Write the demo counts that are missing or differ (nothing on a second run)."""
    sparade = {
        (s.tillfalle.namn, s.alternativ_id): s.antal
        for s in m.Enkatsvar.objects.filter(
            tillfalle__forbund=forbund, tillfalle__namn__startswith=f"{PREFIX} NNS"
        ).select_related("tillfalle")
    }
    saknas = [
        r for r in rader(forbund, idag) if sparade.get((_namn(r), r.alternativ.pk)) != r.antal
    ]
    if saknas:
        services.indikatorsvar_importera(
            user=user, forbund=forbund, rader=saknas, import_fran=import_fran, prefix=PREFIX
        )
