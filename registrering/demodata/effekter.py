"""The demo förbund's outcomes and effects for 2025: an outcome goal per individinriktad insats,
the key figures of 2025 and 2026 (the catalogue's, copied into the years by
`nyckeltal_for_aret`, with their sources) and a transition matrix for one insats that agrees
with its 2025 avslut to arbete and studier.

Made-up figures: the goals and the matrix are demo data (their audit rows say "Importerad från
demodata"); the transitions into arbete and studier are the insats's avslut per outcome
category, and the benefits they came from are dealt out by fixed weights. Written through the
services; only what is missing or differs is written, so a second run writes nothing.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum

from registrering import models as m
from registrering import services
from registrering.demodata.fordelning import fordela
from registrering.models.effekter import ARBETE, OFORANDRAD, STUDIER

AR = 2025
#: Demo data: at least this share of the avslutade to arbete or studier (%), per insats.
UTFALLSMAL_2025 = {
    "Digitaliseringscenter": 30,
    "Försteg Boxholm": 30,
    "Försteg Mjölby/Skänninge": 30,
    "Försteg Motala": 35,
    "Försteg Vadstena": 30,
    "Försteg Ödeshög": 30,
    "ISA navigator": 35,
    "ISA Västra": 35,
    "Stöd mot sysselsättning": 20,
}
MATRISINSATS = "Försteg Motala"
#: Demo data: which benefits the insats's participants came from, as weights.
FRAN = {"forsorjningsstod": 5, "aktivitetsstod": 3, "sjukpenning": 2}
#: Demo data: those who left for neither work nor studies (from, to, antal).
OVRIGA = (
    ("sjukpenning", "aktivitetsersattning", 2),
    ("forsorjningsstod", "aktivitetsstod", 3),
    ("forsorjningsstod", OFORANDRAD, 4),
    ("sjukpenning", OFORANDRAD, 2),
)


def ladda(
    *, user: m.User, forbund: m.Forbund, insatser: dict[str, m.Insats], import_fran: str
) -> None:
    """Write what is missing or differs of the demo's outcomes and effects, and show them in
    the bilaga (its section "Resultat och effekter")."""
    if not forbund.effekter_i_bilagan:
        services.forbund_spara(user=user, forbund=forbund, varden={"effekter_i_bilagan": True})
        forbund.refresh_from_db(fields=["effekter_i_bilagan"])
    for ar in (AR, AR + 1):
        services.nyckeltal_for_aret(user=user, forbund=forbund, ar=ar)
    sparade = dict(
        m.Utfallsmal.objects.filter(insats__forbund=forbund, ar=AR).values_list(
            "insats_id", "procent"
        )
    )
    for namn, procent in UTFALLSMAL_2025.items():
        insats = insatser[namn]
        if sparade.get(insats.pk) != procent:
            services.utfallsmal_satt(
                user=user, insats=insats, ar=AR, procent=procent, import_fran=import_fran
            )
    insats = insatser[MATRISINSATS]
    matris = forflyttningar(insats)
    sparad = {
        (f.fran, f.till): f.antal for f in m.Forflyttning.objects.filter(insats=insats, ar=AR)
    }
    if sparad != matris:
        andrat = {cell: matris.get(cell, 0) for cell in {*sparad, *matris}}
        services.forflyttningar_spara(
            user=user, insats=insats, ar=AR, matris=andrat, import_fran=import_fran
        )


def forflyttningar(insats: m.Insats) -> dict[tuple[str, str], int]:
    """The insats's 2025 matrix: its avslut to arbete and to studier, each dealt out over the
    benefits of `FRAN`, and the transitions of `OVRIGA`."""
    per_kategori = dict(
        m.AvslutadePerAnledning.objects.filter(rapport__insats=insats, rapport__ar=AR)
        .values_list("anledning__kategori")
        .annotate(antal=Sum("antal"))
    )
    matris: Counter[tuple[str, str]] = Counter()
    for till in (ARBETE, STUDIER):
        delar = fordela(per_kategori.get(till, 0), list(FRAN.values()))
        for fran, antal in zip(FRAN, delar, strict=True):
            matris[(fran, till)] += antal
    for fran, till, antal in OVRIGA:
        matris[(fran, till)] += antal
    return {cell: antal for cell, antal in matris.items() if antal}
