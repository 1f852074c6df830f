"""Survey answers: counts per occasion, question and answer option."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import tablib
from django.db.models import QuerySet

from registrering import services
from registrering.models import (
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Svarsalternativ,
)
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Datum, Heltal, Text, kolumn, nyckel


class EnkatsvarResource(FinsamResource):
    """Enkätsvar: antal svar per tillfälle, fråga och svarsalternativ."""

    tillfalle = kolumn("tillfalle__namn", "Tillfälle", Text(kravs=True, max_langd=200))
    datum = kolumn("tillfalle__datum", "Datum", Datum())
    fraga = kolumn("alternativ__fraga__text", "Fråga", Text(kravs=True))
    alternativ = kolumn("alternativ__text", "Svarsalternativ", Text(kravs=True))
    antal = kolumn("antal", "Antal", Heltal())
    insats = kolumn("tillfalle__insats__namn", "Insats")
    forbund = kolumn("tillfalle__forbund__kortnamn", FORBUND)

    obligatoriska = ("Tillfälle", "Datum", "Fråga", "Svarsalternativ", "Antal")
    forbund_via = "tillfalle__forbund"
    nyckel_beskrivning = "tillfälle, datum, fråga och svarsalternativ"
    jamfor_falt = ("antal",)

    class Meta(FinsamResource.Meta):
        model = Enkatsvar
        fields = ("tillfalle", "datum", "fraga", "alternativ", "antal", "insats", "forbund")
        import_order = export_order = fields
        import_id_fields = ("tillfalle", "datum", "fraga", "alternativ")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related(
            "tillfalle__forbund", "tillfalle__insats", "alternativ__fraga"
        ).order_by(
            "tillfalle__forbund__namn",
            "tillfalle__datum",
            "tillfalle__namn",
            "alternativ__fraga__ordning",
            "alternativ__ordning",
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._fragor = {
            (f.forbund_id, nyckel(f.text)): f
            for f in Enkatfraga.objects.filter(forbund_id__in=self._tillatna)
        }
        self._alternativ: dict[int, dict[str, Svarsalternativ]] = defaultdict(dict)
        for alt in Svarsalternativ.objects.filter(fraga__forbund_id__in=self._tillatna):
            self._alternativ[alt.fraga_id][nyckel(alt.text)] = alt
        self._tillfallen = {
            (t.forbund_id, nyckel(t.namn), t.datum): t
            for t in Enkattillfalle.objects.filter(forbund_id__in=self._tillatna).select_related(
                "insats"
            )
        }
        self._befintliga = {
            (s.tillfalle_id, s.alternativ_id): s
            for s in Enkatsvar.objects.filter(tillfalle__forbund_id__in=self._tillatna)
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn, datum = self.las(row, "tillfalle", fel), self.las(row, "datum", fel)
        fragetext, alttext = self.las(row, "fraga", fel), self.las(row, "alternativ", fel)
        rad.varden["antal"] = self.las(row, "antal", fel)
        if self.har_kolumn(row, "insats") and Text().clean(row.get("Insats")):
            rad.extra["insats"] = self.las_insats(row, rad, fel)
        if not fragetext:
            return
        fraga = self._fragor.get((rad.forbund.pk, nyckel(fragetext)))
        if fraga is None:
            fel["Fråga"].append(
                f"Okänd enkätfråga ”{fragetext}” i {rad.forbund.namn}. Lägg till frågan först."
            )
            return
        alt = self._alternativ[fraga.pk].get(nyckel(alttext)) if alttext else None
        if alttext and alt is None:
            namnen = ", ".join(
                a.text for a in sorted(self._alternativ[fraga.pk].values(), key=lambda a: a.ordning)
            )
            fel["Svarsalternativ"].append(
                f"Okänt svarsalternativ ”{alttext}” för frågan. Alternativen är: {namnen}."
            )
        if not namn or datum is None or alt is None:
            return
        tillfallesnyckel = (rad.forbund.pk, nyckel(namn), datum)
        rad.nyckel = (*tillfallesnyckel, alt.pk)
        rad.extra.update(tillfalle=(tillfallesnyckel, namn), alternativ=alt)
        tillfalle = self._tillfallen.get(tillfallesnyckel)
        if tillfalle is not None:
            rad.befintlig = self._befintliga.get((tillfalle.pk, alt.pk))

    def ny_instans(self, rad: Rad) -> Enkatsvar:
        return Enkatsvar(alternativ=rad.extra["alternativ"])

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        nyckeln, namn = rad.extra["tillfalle"]
        # Shown in the preview; a new occasion is created when the file is written.
        instance.tillfalle = self._tillfallen.get(nyckeln) or Enkattillfalle(
            forbund=rad.forbund, namn=namn, datum=nyckeln[2], insats=rad.extra.get("insats")
        )

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            for f in services.enkatsvar_fel(antal=rad.varden["antal"]):
                yield rad, f

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            nyckeln, namn = rad.extra["tillfalle"]
            services.enkatsvar_spara(
                user=self.user,
                forbund=rad.forbund,
                tillfalle_namn=namn,
                datum=nyckeln[2],
                alternativ=rad.extra["alternativ"],
                antal=rad.varden["antal"],
                insats=rad.extra.get("insats"),
                import_fran=self._filnamn,
            )
