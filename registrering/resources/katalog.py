"""The förbund's catalogues: huvudmän, avslutsanledningar (with the insatser that use them),
the national målgrupper (export only), the Bakgrund and Metod texts and the bilaga's comments
per year.

Each row is written by the catalogue's service (`services.huvudman_spara`,
`avslutsanledning_spara`, `forbundstexter_spara`, `kommentar_spara`), which checks the rules and
writes the audit row, as the browser and the admin do. An import adds and changes entries; it
never removes a huvudman or an avslutsanledning (the months that use them keep them). The
insatser that use an avslutsanledning are written as their names or "alla": every insats of the
förbund followed by its participant flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import tablib
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from registrering import services
from registrering.audit import snapshot
from registrering.formats import ImportFel, Obehorig
from registrering.models import Avslutsanledning, Forbund, Huvudman, Insats, Kommentar, Malgrupp
from registrering.regler import Fel
from registrering.resources.bas import FORBUND, INGEN_BEHORIGHET, FinsamResource, Rad
from registrering.resources.effekter import ForbundArBas
from registrering.resources.kolumner import Heltal, Namnlista, Text, Val, kolumn, nyckel
from registrering.services.bilaga import forbundstexter_spara
from registrering.services.katalog import ANLEDNINGSFALT, HUVUDMANSFALT

ALLA = "alla"
BARA_EXPORT = (
    "Målgrupperna är nationella och gemensamma för alla förbund; de kan bara exporteras. "
    "Vilka målgrupper en insats har anges i kolumnen Målgrupper när insatserna importeras."
)


class HuvudmanResource(FinsamResource):
    """Huvudmän: vem deltagarna kommer från (Försäkringskassan, kommun, region …), i
    bilagans ordning."""

    namn = kolumn("namn", "Namn", Text(kravs=True, max_langd=100))
    ordning = kolumn("ordning", "Ordning", Heltal(kravs=False))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Namn",)
    forbund_via = "forbund"
    nyckel_beskrivning = "namn"
    jamfor_falt = HUVUDMANSFALT

    class Meta(FinsamResource.Meta):
        model = Huvudman
        fields = ("namn", "ordning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("namn",)

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("forbund").order_by("forbund__namn", "ordning", "namn")

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            (h.forbund_id, nyckel(h.namn)): h
            for h in Huvudman.objects.filter(forbund_id__in=self._tillatna)
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn = self.las(row, "namn", fel)
        if not namn:
            return
        rad.nyckel = (rad.forbund.pk, nyckel(namn))
        rad.befintlig = self._befintliga.get(rad.nyckel)
        if rad.befintlig is None:
            rad.varden["namn"] = namn  # an existing one keeps its spelling
        if self.har_kolumn(row, "ordning"):
            rad.varden["ordning"] = self.las(row, "ordning", fel) or 0

    def ny_instans(self, rad: Rad) -> models.Model:
        return Huvudman(forbund=rad.forbund)

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            services.huvudman_spara(
                user=self.user,
                forbund=rad.forbund,
                huvudman=rad.befintlig,  # type: ignore[arg-type]
                varden=rad.varden,
                import_fran=self.import_fran,
            )


class Insatslista(Namnlista):
    """The insatser that use an avslutsanledning: their names, or "alla" for every insats of
    the förbund that follows a participant flow."""

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(value or "")


def _flodesinsatser(forbund_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per förbund, the ids of its insatser followed by their participant flow."""
    result: dict[int, set[int]] = {}
    for pk, forbund_id in (
        Insats.objects.filter(forbund_id__in=list(forbund_ids))
        .deltagarflode()
        .values_list("pk", "forbund_id")
    ):
        result.setdefault(forbund_id, set()).add(pk)
    return result


class Klass(Val):
    """1:a or 2:a (also 1 or 2), stored as the number."""

    def __init__(self) -> None:
        super().__init__([("1", "1:a"), ("2", "2:a")])

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().clean(None if value is None else str(value), row, **kwargs)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return super().render(None if value is None else str(value), obj, **kwargs)


class AvslutsanledningResource(FinsamResource):
    """Avslutsanledningar: namn, uppsättning, 1:a eller 2:a, utfallskategori och vilka insatser
    som använder dem (alla: varje insats med deltagarflöde)."""

    namn = kolumn("namn", "Namn", Text(kravs=True, max_langd=100))
    uppsattning = kolumn("uppsattning", "Uppsättning", Text(kravs=True, max_langd=50))
    klass = kolumn("klass", "1:a eller 2:a", Klass())
    kategori = kolumn("kategori", "Utfallskategori", Val(Avslutsanledning.Kategori.choices))
    rapportetikett = kolumn("rapportetikett", "Etikett i bilagan", Text(max_langd=150))
    insatser = kolumn("insatser_text", "Insatser", Insatslista())
    ordning = kolumn("ordning", "Ordning", Heltal(kravs=False))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Namn", "Uppsättning", "1:a eller 2:a", "Utfallskategori")
    forbund_via = "forbund"
    nyckel_beskrivning = "namn och uppsättning"
    jamfor_falt = ANLEDNINGSFALT
    falt_kolumner = {"klass": "1:a eller 2:a", "rapportetikett": "Etikett i bilagan"}

    class Meta(FinsamResource.Meta):
        model = Avslutsanledning
        fields = (
            "namn",
            "uppsattning",
            "klass",
            "kategori",
            "rapportetikett",
            "insatser",
            "ordning",
            "forbund",
        )
        import_order = export_order = fields
        import_id_fields = ("namn", "uppsattning")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        self._flode_export = _flodesinsatser(f.pk for f in self.tillatna_forbund())
        return (
            qs.select_related("forbund")
            .prefetch_related("insatser")
            .order_by("forbund__namn", "uppsattning", "ordning", "namn")
        )

    def dehydrate_insatser(self, anledning: Avslutsanledning) -> str:
        valda = {i.pk for i in anledning.insatser.all()}
        if valda and valda == self._flode_export.get(anledning.forbund_id, set()):
            return ALLA
        return ", ".join(sorted((i.namn for i in anledning.insatser.all()), key=nyckel))

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            (a.forbund_id, nyckel(a.uppsattning), nyckel(a.namn)): a
            for a in Avslutsanledning.objects.filter(
                forbund_id__in=self._tillatna
            ).prefetch_related("insatser")
        }
        self.hamta_insatser()
        self._flode = _flodesinsatser(self._tillatna)

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn, uppsattning = self.las(row, "namn", fel), self.las(row, "uppsattning", fel)
        klass = self.las(row, "klass", fel)
        rad.varden["klass"] = int(klass) if klass else None
        rad.varden["kategori"] = self.las(row, "kategori", fel)
        for falt in ("rapportetikett", "ordning"):
            if self.har_kolumn(row, falt):
                rad.varden[falt] = self.las(row, falt, fel) or ("" if falt != "ordning" else 0)
        if self.har_kolumn(row, "insatser"):
            self._las_insatser(row, rad, fel)
        if not namn or not uppsattning:
            return
        rad.nyckel = (rad.forbund.pk, nyckel(uppsattning), nyckel(namn))
        rad.befintlig = self._befintliga.get(rad.nyckel)
        if rad.befintlig is None:
            rad.varden.update(namn=namn, uppsattning=uppsattning)

    def _las_insatser(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namnen = self.las(row, "insatser", fel) or []
        if [nyckel(n) for n in namnen] == [ALLA]:
            valda = [self._insats_pk[pk] for pk in sorted(self._flode.get(rad.forbund.pk, ()))]
        else:
            valda = []
            for namn in namnen:
                insats = self._insatser.get((rad.forbund.pk, nyckel(namn)))
                if insats is None:
                    fel["Insatser"].append(
                        f"Okänd insats ”{namn}” i {rad.forbund.namn}. Skriv insatsernas namn "
                        f"med komma emellan, eller {ALLA} för varje insats med deltagarflöde."
                    )
                else:
                    valda.append(insats)
        rad.extra["insatser"] = valda

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        """The model's own checks (`full_clean` in the service) as row errors before anything
        is written: a value that is missing or too long."""
        for rad in rader:
            instans = rad.befintlig or Avslutsanledning(forbund=rad.forbund)
            prov = Avslutsanledning(
                **{f: getattr(instans, f) for f in ANLEDNINGSFALT}, forbund=rad.forbund
            )
            for falt, varde in rad.varden.items():
                setattr(prov, falt, varde)
            try:
                prov.clean_fields(exclude=["forbund"])
            except ValidationError as exc:
                for falt, texter in exc.message_dict.items():
                    for text in texter:
                        yield rad, Fel(falt, text)

    def ny_instans(self, rad: Rad) -> models.Model:
        return Avslutsanledning(forbund=rad.forbund)

    def las_fore(self, instance: Any) -> dict[str, Any]:
        data = snapshot(instance, self.jamfor_falt)
        if instance.pk:
            data["insatser"] = sorted(i.pk for i in instance.insatser.all())
        return data

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        rad = self._rad
        assert rad is not None
        if "insatser" in rad.extra:
            rad.efter["insatser"] = sorted(i.pk for i in rad.extra["insatser"])
        elif "insatser" in rad.fore:
            rad.efter["insatser"] = rad.fore["insatser"]

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            services.avslutsanledning_spara(
                user=self.user,
                forbund=rad.forbund,
                anledning=rad.befintlig,  # type: ignore[arg-type]
                varden=rad.varden,
                insatser=rad.extra.get("insatser"),
                import_fran=self.import_fran,
            )


class MalgruppResource(FinsamResource):
    """Målgrupper: den nationella listan i Uppföljning Finsam, gemensam för alla förbund (bara
    export; en insats målgrupper importeras med insatserna)."""

    bara_export: ClassVar[bool] = True

    kod = kolumn("kod", "Kod", Text())
    namn = kolumn("namn", "Namn", Text())

    forbund_via = ""

    class Meta(FinsamResource.Meta):
        model = Malgrupp
        fields = ("kod", "namn")
        import_order = export_order = fields
        import_id_fields = ("kod",)

    def _begransa(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if not self.tillatna_forbund():
            raise Obehorig(INGEN_BEHORIGHET)
        return qs.order_by("ordning", "namn")

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        # As a whole-file error in the base: no row-by-row errors on top of the message.
        rubriker = list(dataset.headers or [])
        dataset.wipe()
        dataset.headers = rubriker
        raise ImportFel(BARA_EXPORT)


class ForbundstextResource(FinsamResource):
    """Texter: förbundets Bakgrund och Metod i årsbilagan ({ar}, {period} och
    {sammanstallningsdatum} i Metod fylls i)."""

    bakgrund_text = kolumn("bakgrund_text", "Bakgrund", Text())
    metod_text = kolumn("metod_text", "Metod", Text())
    forbund = kolumn("kortnamn", FORBUND)

    obligatoriska = ()
    forbund_via = ""  # the förbund itself
    nyckel_beskrivning = "förbund"
    jamfor_falt = ("bakgrund_text", "metod_text")

    class Meta(FinsamResource.Meta):
        model = Forbund
        fields = ("bakgrund_text", "metod_text", "forbund")
        import_order = export_order = fields
        # Matched on the row's förbund, which a file of a single förbund leaves out.
        import_id_fields: tuple[str, ...] = ()

    def _begransa(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        tillatna = self.tillatna_forbund()
        if not tillatna:
            raise Obehorig(INGEN_BEHORIGHET)
        return qs.filter(pk__in=[f.pk for f in tillatna]).order_by("namn")

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        rad.nyckel = (rad.forbund.pk,)
        rad.befintlig = rad.forbund
        for falt in self.jamfor_falt:
            if self.har_kolumn(row, falt):
                rad.varden[falt] = _stycken(row.get(self.fields[falt].column_name))

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            forbundstexter_spara(
                user=self.user, forbund=rad.forbund, varden=rad.varden, import_fran=self.import_fran
            )


def _stycken(varde: Any) -> str:
    """A text cell with its paragraphs (the Text widget would join its lines)."""
    text = "" if varde is None else str(varde).replace("\r\n", "\n")
    return "\n".join(rad.rstrip() for rad in text.strip().split("\n"))


class KommentarResource(ForbundArBas):
    """Kommentarer: kansliets KOMMENTAR under ett avsnitt i årets bilaga (tom text tar bort
    den)."""

    avsnitt = kolumn("avsnitt", "Avsnitt", Val(Kommentar.Avsnitt.choices))
    text = kolumn("text", "Kommentar", Text())

    obligatoriska = ("År", "Avsnitt", "Kommentar")
    nyckel_beskrivning = "år och avsnitt"
    jamfor_falt = ("text",)
    kravs_for_ny = ()

    class Meta(FinsamResource.Meta):
        model = Kommentar
        fields = ("ar", "avsnitt", "text", "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar", "avsnitt")

    def ordning(self) -> tuple[str, ...]:
        return ("forbund__namn", "ar", "avsnitt")

    def nyckel_for(self, objekt: Any) -> tuple[Any, ...]:
        return (objekt.forbund_id, objekt.ar, objekt.avsnitt)

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        super().tolka(row, rad, fel)
        if "text" in rad.varden:
            rad.varden["text"] = _stycken(row.get("Kommentar"))

    def radnyckel(
        self, row: Mapping[str, Any], rad: Rad, ar: int, fel: dict[str, list[str]]
    ) -> tuple[Any, ...] | None:
        avsnitt = self.las(row, "avsnitt", fel)
        if not avsnitt:
            return None
        rad.extra["avsnitt"] = avsnitt
        return (rad.forbund.pk, ar, avsnitt)

    def ny_instans(self, rad: Rad) -> models.Model:
        return Kommentar(forbund=rad.forbund, ar=rad.extra["ar"], avsnitt=rad.extra["avsnitt"])

    def rad_fel(self, rad: Rad, varden: dict[str, Any]) -> list[Fel]:
        return []

    def skriv_rad(self, rad: Rad, varden: dict[str, Any]) -> None:
        services.kommentar_spara(
            user=self.user,
            forbund=rad.forbund,
            ar=rad.extra["ar"],
            avsnitt=rad.extra["avsnitt"],
            text=varden["text"] or "",
        )


__all__ = [
    "AvslutsanledningResource",
    "ForbundstextResource",
    "HuvudmanResource",
    "KommentarResource",
    "MalgruppResource",
]
