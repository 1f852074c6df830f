"""The monthly figures: the flow of a deltagarflöde insats and the volume of a volyminsats.

The rows are read here; `services.manad_import` checks them (each row, and the ledger after the
whole file) and writes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import tablib
from django.db.models import QuerySet
from django.utils import timezone
from import_export.results import RowResult

from registrering.ledger import Kon
from registrering.models import Insats, Manadsrapport
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import Heltal, Text, kolumn
from registrering.services import manad_import
from registrering.services._stod import FLODESFALT


class ManadBas(FinsamResource):
    """Shared by the monthly flow and the monthly volume: both are a Manadsrapport."""

    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", Heltal())
    manad = kolumn("manad", "Månad", Heltal())
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    nyckel_beskrivning = "insats, år och månad"
    for_volym: ClassVar[bool] = False

    class Meta(FinsamResource.Meta):
        model = Manadsrapport
        use_bulk = True
        batch_size = 1000

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.filter(
                insats__uppfoljning=Insats.Uppfoljning.VOLYM
                if self.for_volym
                else Insats.Uppfoljning.DELTAGARFLODE
            )
            .select_related("insats__forbund")
            .order_by("insats__forbund__namn", "insats__ordning", "insats__namn", "ar", "manad")
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (r.insats_id, r.ar, r.manad): r
            for r in self.med_insats(
                manad_import.manadsrapporter_befintliga(
                    forbund_ids=self._tillatna, ar=self.ar_i_filen(dataset, "År")
                )
            )
        }
        self._idag = self.idag or timezone.localdate()
        self._provning: manad_import.Provning | None = None
        self._koner: dict[tuple[int, int], Kon] = {}
        self._lasta: dict[tuple[str, type, Any], Any] = {}
        self._insats_for_cell: dict[tuple[int, type, Any], Insats] = {}

    def las(self, row: Mapping[str, Any], namn: str, fel: dict[str, list[str]]) -> Any:
        """As `FinsamResource.las`, but each distinct cell of a column is read once: a month
        file repeats its cells (the insats, the year, the month, small counts), 100 000 rows
        hold a few thousand. A cell that cannot be read is read (and its error given) anew."""
        cell = row.get(self.fields[namn].column_name)
        nyckel = (namn, type(cell), cell)  # 1, 1.0 and True are equal but read differently
        if (varde := self._lasta.get(nyckel)) is None:
            varde = super().las(row, namn, fel)
            if varde is not None:
                self._lasta[nyckel] = varde
        return varde

    def _las_insats(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> Any:
        """As `las_insats`, but each distinct cell of the column is looked up once per förbund
        (100 000 rows name a few thousand insatser); a cell naming none is looked up (and
        its error given) anew."""
        cell = row.get(self.fields["insats"].column_name)
        nyckel = (rad.forbund.pk, type(cell), cell)  # as `las`: True == 1, read differently
        if (insats := self._insats_for_cell.get(nyckel)) is None:
            insats = self.las_insats(row, rad, fel)
            if insats is not None:
                self._insats_for_cell[nyckel] = insats
        return insats

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self._las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        for falt in self.jamfor_falt:
            rad.varden[falt] = self.las(row, falt, fel)
        if insats is None or ar is None or manad is None:
            return
        rad.nyckel = (insats.pk, ar, manad)
        rad.befintlig = self._befintliga.get(rad.nyckel)
        if insats.ar_volyminsats != self.for_volym:
            fel["Insats"].append(
                f"{insats.namn} följs upp med volym: importera den med volymdata "
                "(Insats;År;Månad;Volym)."
                if insats.ar_volyminsats
                else f"{insats.namn} följs upp med deltagarflöde: importera den med månadsdata "
                "(Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män)."
            )
        elif not any(fel.values()):
            rad.extra["import"] = self.importrad(rad, insats, ar, manad)

    def importrad(self, rad: Rad, insats: Insats, ar: int, manad: int) -> Any:
        v = rad.varden
        befintlig = rad.befintlig if isinstance(rad.befintlig, Manadsrapport) else None
        if self.for_volym:
            return manad_import.ManadImportRad(
                rad.nr, insats, ar, manad, volym=v["volym"], befintlig=befintlig
            )
        return manad_import.ManadImportRad(
            rad.nr,
            insats,
            ar,
            manad,
            nya=self._kon(v["nya_kvinnor"], v["nya_man"]),
            avslutade=self._kon(v["avslutade_kvinnor"], v["avslutade_man"]),
            befintlig=befintlig,
        )

    def _kon(self, kvinnor: int, man: int) -> Kon:
        """One `Kon` per pair of counts in the file, shared by its rows (it is immutable):
        100 000 rows hold a few hundred, and only those are made."""
        if (kon := self._koner.get((kvinnor, man))) is None:
            kon = self._koner[(kvinnor, man)] = Kon(kvinnor, man)
        return kon

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        # The service's check, kept for its write in this transaction (the rules run once).
        self._provning = manad_import.manadsrapporter_prova(
            rader=[r.extra["import"] for r in rader if "import" in r.extra], idag=self._idag
        )
        per_nr = {r.nr: r for r in rader if r.nr in self._provning.fel}
        for nr, radfel in self._provning.fel.items():
            for f in radfel:
                yield per_nr[nr], f

    def ny_instans(self, rad: Rad) -> Manadsrapport:
        import_rad = rad.extra["import"]
        return Manadsrapport(insats=import_rad.insats, ar=import_rad.ar, manad=import_rad.manad)

    def las_fore(self, instance: Any) -> dict[str, Any]:
        return {f: getattr(instance, f) for f in (*self.jamfor_falt, "status")}

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        """The status the month will have, for the preview and for "oförändrad"."""
        instance.status = manad_import.importerad_status(
            rad.befintlig.status if rad.befintlig is not None else None,  # type: ignore[attr-defined]
            godkand=bool(self.godkand),
        )

    def importtyp(self, rad: Rad) -> str:
        """New, changed (its figures or, as `efter_varden` sets it, its status) or unchanged."""
        import_rad: manad_import.ManadImportRad = rad.extra["import"]
        if import_rad.befintlig is None:
            return RowResult.IMPORT_TYPE_NEW
        if import_rad.andrar() or import_rad.befintlig.status != manad_import.importerad_status(
            import_rad.befintlig.status, godkand=bool(self.godkand)
        ):
            return RowResult.IMPORT_TYPE_UPDATE
        return RowResult.IMPORT_TYPE_SKIP

    def skriv(self, rader: list[Rad]) -> None:
        manad_import.manadsrapporter_importera(
            user=self.user,
            rader=[r.extra["import"] for r in rader],
            godkand=bool(self.godkand),
            idag=self._idag,
            import_fran=self._filnamn,
            provning=self._provning,
        )


class ManadsdataResource(ManadBas):
    """Månadsdata: nya och avslutade kvinnor och män per insats och månad."""

    nya_kvinnor = kolumn("nya_kvinnor", "Nya kvinnor", Heltal())
    nya_man = kolumn("nya_man", "Nya män", Heltal())
    avslutade_kvinnor = kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal())
    avslutade_man = kolumn("avslutade_man", "Avslutade män", Heltal())

    obligatoriska = (
        "Insats",
        "År",
        "Månad",
        "Nya kvinnor",
        "Nya män",
        "Avslutade kvinnor",
        "Avslutade män",
    )
    jamfor_falt = FLODESFALT

    class Meta(ManadBas.Meta):
        fields = ("insats", "ar", "manad", *FLODESFALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")


class VolymdataResource(ManadBas):
    """Volymdata: volymen per volyminsats och månad, i insatsens enhet."""

    volym = kolumn("volym", "Volym", Heltal())

    obligatoriska = ("Insats", "År", "Månad", "Volym")
    jamfor_falt = ("volym",)
    for_volym = True

    class Meta(ManadBas.Meta):
        fields = ("insats", "ar", "manad", "volym", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")
