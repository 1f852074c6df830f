"""Medfinansieringar: the förbund that co-finance the förbund's own insatser, per year.

Rows are matched on (insats, medfinansierande förbund, år); the förbund of the row (the Förbund
column with several förbund) is the one that runs the insats, and only its kansli imports. The
co-financier is named by its kortnamn or namn. Each row is checked by `regler.medfinansiering`
with the other co-financiers' shares of the same insats and year, those already saved and those
of the file together, and written by `services.medfinansiering_spara`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import tablib
from django.db import models
from django.db.models import QuerySet

from registrering import regler
from registrering.models import Forbund, Insats, Medfinansiering
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Decimaltal, Heltal, Text, kolumn, nyckel
from registrering.services.samfinansiering import medfinansiering_spara

FINANSIAR = "Medfinansierande förbund"


class MedfinansieringResource(FinsamResource):
    """Medfinansieringar: andra förbund som betalar en del av förbundets insatser, per år."""

    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", Heltal())
    finansiar = kolumn("finansiar__kortnamn", FINANSIAR, Text(kravs=True))
    belopp = kolumn("belopp", "Belopp (kr)", Heltal())
    andel = kolumn("andel", "Andel %", Decimaltal())
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    obligatoriska = ("Insats", "År", FINANSIAR, "Belopp (kr)", "Andel %")
    jamfor_falt = ("belopp", "andel")
    nyckel_beskrivning = "insats, medfinansierande förbund och år"

    class Meta(FinsamResource.Meta):
        model = Medfinansiering
        fields = ("insats", "ar", "finansiar", "belopp", "andel", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "finansiar", "ar")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("insats__forbund", "finansiar").order_by(
            "insats__forbund__namn", "insats__ordning", "insats__namn", "ar", "finansiar__namn"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        rader = Medfinansiering.objects.filter(insats__forbund_id__in=self._tillatna)
        self._befintliga = {(o.insats_id, o.finansiar_id, o.ar): o for o in rader}

    def _las_finansiar(self, row: Mapping[str, Any], fel: dict[str, list[str]]) -> Forbund | None:
        """The co-financier named in the row; None when the cell names none or an unknown."""
        namn = self.las(row, "finansiar", fel)
        if not namn:
            return None
        forbund = next(
            (f for f in self._alla_forbund if nyckel(namn) in {nyckel(f.kortnamn), nyckel(f.namn)}),
            None,
        )
        if forbund is None:
            fel[FINANSIAR].append(f"Okänt förbund ”{namn}”.")
        return forbund

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar = self.las(row, "ar", fel)
        finansiar = self._las_finansiar(row, fel)
        for namn in self.jamfor_falt:
            rad.varden[namn] = self.las(row, namn, fel)
        if insats is None or ar is None or finansiar is None:
            return
        rad.nyckel = (insats.pk, finansiar.pk, ar)
        rad.extra.update(insats=insats, finansiar=finansiar, ar=ar)
        rad.befintlig = self._befintliga.get(rad.nyckel)

    def andrar(self, rad: Rad) -> bool:
        befintlig = rad.befintlig
        return befintlig is None or any(getattr(befintlig, f) != v for f, v in rad.varden.items())

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        """Each row with the shares of the same insats and year that are not its own: the
        saved rows the file does not change, and the file's other rows."""
        andelar: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
        for (insats_id, finansiar_id, sparat_ar), sparad in self._befintliga.items():
            andelar[(insats_id, sparat_ar)][finansiar_id] = sparad.andel
        for rad in rader:
            insats_id, finansiar_id, radens_ar = rad.nyckel  # type: ignore[misc]
            andelar[(insats_id, radens_ar)][finansiar_id] = rad.varden["andel"]
        for rad in rader:
            if not self.andrar(rad):
                continue
            insats: Insats = rad.extra["insats"]
            finansiar: Forbund = rad.extra["finansiar"]
            ar: int = rad.extra["ar"]
            ovriga = [a for f, a in andelar[(insats.pk, ar)].items() if f != finansiar.pk]
            for f in regler.medfinansiering(
                agare=insats.forbund,
                finansiar=finansiar,
                ar=ar,
                belopp=rad.varden["belopp"],
                andel=rad.varden["andel"],
                ovriga_andelar=ovriga,
            ):
                yield rad, f

    def ny_instans(self, rad: Rad) -> models.Model:
        return Medfinansiering(
            insats=rad.extra["insats"], finansiar=rad.extra["finansiar"], ar=rad.extra["ar"]
        )

    def skriv(self, rader: list[Rad]) -> None:
        # Lowered shares first: a file that moves a share from one co-financier to another
        # never passes 100 % on the way.
        def minskar(rad: Rad) -> bool:
            befintlig = rad.befintlig
            return isinstance(befintlig, Medfinansiering) and rad.varden["andel"] < befintlig.andel

        for rad in sorted(rader, key=lambda r: not minskar(r)):
            medfinansiering_spara(
                user=self.user,
                insats=rad.extra["insats"],
                finansiar=rad.extra["finansiar"],
                ar=rad.extra["ar"],
                belopp=rad.varden["belopp"],
                andel=rad.varden["andel"],
                rad=rad.befintlig if isinstance(rad.befintlig, Medfinansiering) else None,
                import_fran=self.import_fran,
            )
