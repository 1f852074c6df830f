"""Survey answers: counts per occasion, question and answer option."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import tablib
from django.db.models import QuerySet

from registrering import regler, services
from registrering.formats import ImportFel, filrad
from registrering.models import (
    Enkat,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Svarsalternativ,
    User,
)
from registrering.models.enkater import Respondentgrupp
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Datum, Heltal, Text, kolumn, lista, nyckel


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
        # The kansli's own counts per round, to correct and import again: raw, also below
        # FINSAM_ENKAT_MIN_N (only the kansli, VU and förbundschef, has the admin's export; what
        # others see is suppressed by enkater.selectors and the bilaga). README "Import och export".
        # The NNS indicators' counts have their own layout (`IndikatorsvarImport`, the
        # Indikatorer report's export): their questions repeat a text across respondent groups,
        # which this layout, without a group column, cannot tell apart.
        qs = qs.exclude(alternativ__fraga__enkat__slag=Enkat.Slag.NNS)
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
            for f in Enkatfraga.objects.filter(forbund_id__in=self._tillatna).exclude(
                enkat__slag=Enkat.Slag.NNS
            )
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


# --- The national tool's layout (the Indikatorer report's export and earlier years' import) ---

#: The columns of the national layout, in order: one row per collection year, respondent group,
#: indicator, question and option, with the count. NNS's tool publishes no import format that
#: could be read here; this long layout carries every field seed 003 reports (year, group,
#: indicator, question, option, n), so it maps onto any tabular form of the national tool,
#: and the same file reads back in (earlier years' import).
NATIONELLA_KOLUMNER = (
    "Insamlingsår",
    "Respondentgrupp",
    "Indikator",
    "Fråga",
    "Svarsalternativ",
    "Antal",
)


class IndikatorsvarImport:
    """Reads a file in the national layout into the förbund's NNS questions: every row is checked
    before anything is written, with Swedish errors per row ("Rad 3, Fråga: …", the header is row
    1); without errors `indikatorsvar_importera` writes all rows in one transaction."""

    def __init__(self, *, user: User, forbund: Forbund, idag: dt.date | None = None) -> None:
        self.user = user
        self.forbund = forbund
        self.idag = idag or dt.date.today()
        self.fel: list[str] = []

    def _hamta(self) -> None:
        fragor = (
            Enkatfraga.objects.filter(forbund=self.forbund, enkat__slag=Enkat.Slag.NNS)
            .select_related("enkat")
            .prefetch_related("alternativ")
            .order_by("version")
        )
        # The newest version wins when two versions of a question share its text.
        self._fragor = {(f.respondentgrupp, nyckel(f.text)): f for f in fragor}
        self._grupper = {nyckel(g.label): g.value for g in Respondentgrupp}
        self._grupper.update({nyckel(g.value): g.value for g in Respondentgrupp})

    def _rubriker(self, dataset: tablib.Dataset) -> dict[str, str]:
        rubriker = {nyckel(r): str(r) for r in dataset.headers or []}
        saknas = [k for k in NATIONELLA_KOLUMNER if nyckel(k) not in rubriker]
        if saknas:
            raise ImportFel(
                f"Fel kolumnrubriker: filen saknar {lista(saknas)}. Rubrikraden ska vara "
                + ";".join(NATIONELLA_KOLUMNER)
                + "."
            )
        return {k: rubriker[nyckel(k)] for k in NATIONELLA_KOLUMNER}

    def _cell(self, row: Mapping[str, Any], kolumn: str, fel: list[str], nr: int) -> Any:
        varde = row.get(self._kolumner[kolumn])
        try:
            if kolumn in ("Insamlingsår", "Indikator", "Antal"):
                return Heltal().clean(varde)
            return Text(kravs=True).clean(varde)
        except ValueError as exc:
            fel.append(f"Rad {nr}, {kolumn}: {exc}")
            return None

    def _rad(self, row: Mapping[str, Any], nr: int) -> tuple[Any, list[str]]:
        fel: list[str] = []
        ar, grupptext, indikator, fragetext, alttext, antal = (
            self._cell(row, k, fel, nr) for k in NATIONELLA_KOLUMNER
        )
        if ar is not None and not 2000 <= ar <= self.idag.year + 1:
            fel.append(
                f"Rad {nr}, Insamlingsår: {ar} är inget insamlingsår (2000–{self.idag.year + 1})."
            )
        for f in (
            regler.antal(antal, falt="antal", etikett="Antalet svar") if antal is not None else []
        ):
            fel.append(f"Rad {nr}, Antal: {f.text}")
        grupp = self._grupper.get(nyckel(grupptext)) if grupptext else None
        if grupptext and grupp is None:
            namnen = ", ".join(g.label for g in Respondentgrupp)
            fel.append(
                f"Rad {nr}, Respondentgrupp: okänd grupp ”{grupptext}”. Grupperna är: {namnen}."
            )
        fraga = self._fragor.get((grupp, nyckel(fragetext))) if grupp and fragetext else None
        if grupp and fragetext and fraga is None:
            fel.append(
                f"Rad {nr}, Fråga: ”{fragetext}” är ingen NNS-fråga till "
                f"{Respondentgrupp(grupp).label.lower()} i {self.forbund.namn}."
            )
        if fraga is not None and indikator is not None and fraga.indikator != indikator:
            fel.append(
                f"Rad {nr}, Indikator: frågan mäter indikator {fraga.indikator}, inte {indikator}."
            )
        alt = None
        if fraga is not None and alttext:
            alt = next(
                (a for a in fraga.alternativ.all() if nyckel(a.text) == nyckel(alttext)), None
            )
            if alt is None:
                namnen = ", ".join(a.text for a in fraga.alternativ.all())
                fel.append(
                    f"Rad {nr}, Svarsalternativ: okänt alternativ ”{alttext}”. "
                    f"Alternativen är: {namnen}."
                )
        if fel or alt is None or grupp is None:
            return None, fel
        return services.Indikatorsvar(
            ar=ar, respondentgrupp=grupp, alternativ=alt, antal=antal
        ), fel

    def las(self, dataset: tablib.Dataset) -> list[Any]:
        """The rows as `Indikatorsvar`; `self.fel` lists what is wrong (empty when all is well)."""
        self._hamta()
        self._kolumner = self._rubriker(dataset)
        rader: list[Any] = []
        forsta: dict[tuple[int, int], int] = {}
        for index, varden in enumerate(dataset, 1):
            i = filrad(dataset, index)
            rad, fel = self._rad(dict(zip(dataset.headers, varden, strict=False)), i)
            self.fel += fel
            if rad is None:
                continue
            nyckeln = (rad.ar, rad.alternativ.pk)
            if nyckeln in forsta:
                self.fel.append(
                    f"Rad {i}: samma år, fråga och svarsalternativ som rad {forsta[nyckeln]}."
                )
            forsta.setdefault(nyckeln, i)
            rader.append(rad)
        return rader

    def importera(self, dataset: tablib.Dataset, *, filnamn: str = "") -> int:
        """Import the file, all or nothing; returns the number of rows. Raises `ImportFel` with
        every row's error (nothing is saved) when any row is wrong."""
        rader = self.las(dataset)
        if self.fel:
            visas = self.fel[:50]
            if len(self.fel) > 50:
                visas.append(f"… och {len(self.fel) - 50} fel till.")
            raise ImportFel("Filen har fel; inget har sparats.\n" + "\n".join(visas))
        services.indikatorsvar_importera(
            user=self.user, forbund=self.forbund, rader=rader, import_fran=filnamn or "fil"
        )
        return len(rader)
