"""Exporters beside the PDF: "Underlag till Uppföljning Finsam" as an Excel file.

Same contract as `rapporter.pdf`: an exporter returns an `Export` (file name, content type,
bytes). The figures come from `rapporter.selectors.arsdata`, the same numbers as the bilaga; this
module only arranges them in the order Försäkringskassan's Uppföljning Finsam asks for them, so
that the verksamhetsutvecklare can copy them column by column.
"""

from __future__ import annotations

from dataclasses import dataclass

import tablib
from django.utils.text import slugify

from rapporter.arsdata import arsdata
from rapporter.pdf import Export
from registrering.formats import XLSX
from registrering.models import BudgeteradVolym, Forbund, Insats
from registrering.selectors import i_rapportordning

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UNDERLAG_KOLUMNER = (
    "Insats",
    "Inriktning",
    "Preciserad inriktning",
    "Målgrupper",
    "Budgeterat antal deltagare",
    "Antal deltagare kvinnor",
    "Antal deltagare män",
    "Volym",
    "Volymenhet",
)


@dataclass(frozen=True)
class UnderlagRad:
    """One insats's year as the national system asks for it."""

    insats: str
    inriktning: str
    preciserad_inriktning: str
    malgrupper: str
    budgeterat: int | None
    deltagare_kvinnor: int | None
    deltagare_man: int | None
    volym: int | None
    volymenhet: str

    def celler(self) -> list[str | int | None]:
        return [
            self.insats,
            self.inriktning,
            self.preciserad_inriktning,
            self.malgrupper,
            self.budgeterat,
            self.deltagare_kvinnor,
            self.deltagare_man,
            self.volym,
            self.volymenhet,
        ]


def underlag_rader(*, forbund: Forbund, ar: int) -> list[UnderlagRad]:
    """Every insats that ran during `ar`, in the bilaga's order: deltagare totalt by gender
    (ingående balans + nya) for a deltagarflöde insats, the year's volume for a volyminsats."""
    data = arsdata(forbund=forbund, ar=ar)
    floden = {f.insats_id: f for f in data.insatser}
    volymer = {v.insats_id: v for v in data.volym}
    insatser = i_rapportordning(
        Insats.objects.filter(forbund=forbund).aktiva_under(ar).prefetch_related("malgrupper")
    )
    budget = dict(
        BudgeteradVolym.objects.filter(insats__forbund=forbund, ar=ar).values_list(
            "insats_id", "volym"
        )
    )
    rader = []
    for insats in insatser:
        flode, volym = floden.get(insats.pk), volymer.get(insats.pk)
        rader.append(
            UnderlagRad(
                insats=insats.namn,
                inriktning=insats.get_inriktning_display(),
                preciserad_inriktning=insats.get_preciserad_inriktning_display(),
                malgrupper=", ".join(m.namn for m in insats.malgrupper.all()),
                budgeterat=budget.get(insats.pk),
                deltagare_kvinnor=flode.deltagare_totalt.kvinnor if flode else None,
                deltagare_man=flode.deltagare_totalt.man if flode else None,
                volym=volym.volym if volym else None,
                volymenhet=insats.get_volymenhet_display() if insats.ar_volyminsats else "",
            )
        )
    return rader


def underlag_uppfoljning_finsam(*, forbund: Forbund, ar: int) -> Export:
    """The year's figures per insats, as an Excel file to copy into Uppföljning Finsam."""
    rader = [rad.celler() for rad in underlag_rader(forbund=forbund, ar=ar)]
    # The import/export XLSX writer: bold headers, and text is never read as a formula.
    innehall = XLSX().export_data(
        tablib.Dataset(*rader, headers=UNDERLAG_KOLUMNER, title=f"Underlag {ar}")
    )
    filnamn = f"underlag-uppfoljning-finsam-{slugify(forbund.kortnamn) or 'forbund'}-{ar}.xlsx"
    return Export(filnamn=filnamn, content_type=XLSX_CONTENT_TYPE, innehall=innehall)
