"""What the insatser led to and what it was worth: outcome goals per insats and year, the
förbund's key figures per year (the simple model, the benefits and the income side of the
transition model), the transition matrices and the outcome category of each avslutsanledning.

Each row is checked by the rules of `registrering.effektregler` (through `regler`) and written
by the service of `registrering.services.effekter`, as in the browser and the admin. Rates are
read with a decimal comma ("20,67"); a benefit (Kod, Från, Till) is written as its code and
read as its code or its name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.db.models import QuerySet

from registrering import effektkatalog, regler, services
from registrering.effektregler import ANTAL, FRAN, MAL_UTOVER_ERSATTNING, TILL
from registrering.models import (
    Avslutsanledning,
    Effektnyckeltal,
    Ersattningsnyckeltal,
    Forbund,
    Forflyttning,
    Inkomstnyckeltal,
    Insats,
    Utfallsmal,
)
from registrering.models.effekter import OFORANDRAD, Betalare
from registrering.regler import Fel
from registrering.resources.balanser import InsatsArBas
from registrering.resources.bas import FORBUND, FinsamResource, Rad
from registrering.resources.kolumner import (
    Datum,
    Decimaltal,
    Heltal,
    JaNej,
    Text,
    Val,
    kolumn,
    nyckel,
)
from registrering.services.effekter import ENKLA_FALT, ERSATTNINGENS_FALT, INKOMSTENS_FALT


class UtfallsmalResource(InsatsArBas):
    """Utfallsmål: minst så många procent av de avslutade till arbete eller studier, per insats
    och år."""

    procent = kolumn("procent", "Mål %", Heltal())

    obligatoriska = ("Insats", "År", "Mål %")
    jamfor_falt = ("procent",)

    class Meta(InsatsArBas.Meta):
        model = Utfallsmal
        fields = ("insats", "ar", "procent", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def rad_fel(self, insats: Insats, ar: int, rad: Rad) -> list[Fel]:
        return regler.utfallsmal(rad.varden["procent"])

    def skriv_rad(self, insats: Insats, ar: int, rad: Rad) -> None:
        services.utfallsmal_satt(
            user=self.user,
            insats=insats,
            ar=ar,
            procent=rad.varden["procent"],
            import_fran=self.import_fran,
        )


class ForbundArBas(FinsamResource):
    """A förbund's rows of a year, matched on (förbund, år, `nyckelfalt`…); what the file
    leaves out of an existing row is kept."""

    ar = kolumn("ar", "År", Heltal())
    forbund = kolumn("forbund__kortnamn", FORBUND)

    forbund_via = "forbund"
    nyckel_beskrivning = "år"
    #: the value fields a new row must have (the others have the model's defaults)
    kravs_for_ny: tuple[str, ...] = ()

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("forbund").order_by(*self.ordning())

    def ordning(self) -> tuple[str, ...]:
        return ("forbund__namn", "ar")

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            self.nyckel_for(o): o
            for o in self._meta.model.objects.filter(forbund_id__in=self._tillatna)
        }

    def nyckel_for(self, objekt: Any) -> tuple[Any, ...]:
        return (objekt.forbund_id, objekt.ar)

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        ar = self.las(row, "ar", fel)
        for namn in self.jamfor_falt:
            if self.har_kolumn(row, namn):
                rad.varden[namn] = self.las(row, namn, fel)
        if ar is None:
            return
        rad.nyckel = self.radnyckel(row, rad, ar, fel)
        if rad.nyckel is None:
            return
        rad.befintlig = self._befintliga.get(rad.nyckel)
        if rad.befintlig is None:
            for namn in self.kravs_for_ny:
                if namn not in rad.varden:
                    kolumn_ = self.fields[namn].column_name
                    fel[kolumn_].append(f"Värde saknas: en ny rad behöver kolumnen {kolumn_}.")
        rad.extra["ar"] = ar

    def radnyckel(
        self, row: Mapping[str, Any], rad: Rad, ar: int, fel: dict[str, list[str]]
    ) -> tuple[Any, ...] | None:
        return (rad.forbund.pk, ar)

    def alla_varden(self, rad: Rad) -> dict[str, Any]:
        """The row's values over the saved row's (the model's defaults for a new one)."""
        grund = rad.befintlig or self.ny_instans(rad)
        return {**snapshot_rad(grund, self.jamfor_falt), **rad.varden}

    def andrar(self, rad: Rad) -> bool:
        befintlig = rad.befintlig
        return befintlig is None or any(getattr(befintlig, f) != v for f, v in rad.varden.items())

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            if self.andrar(rad):
                for f in self.rad_fel(rad, self.alla_varden(rad)):
                    yield rad, f

    def rad_fel(self, rad: Rad, varden: dict[str, Any]) -> list[Fel]:
        raise NotImplementedError

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(forbund=rad.forbund, ar=rad.extra["ar"])

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            self.skriv_rad(rad, self.alla_varden(rad))

    def skriv_rad(self, rad: Rad, varden: dict[str, Any]) -> None:
        raise NotImplementedError


def snapshot_rad(objekt: models.Model, falt: Iterable[str]) -> dict[str, Any]:
    """The fields' values as the model holds them (not as the audit log writes them)."""
    return {f: getattr(objekt, f) for f in falt}


class EffektnyckeltalResource(ForbundArBas):
    """Nyckeltal enkel modell: kostnad och utebliven skatt per person och månad, per år."""

    kostnad_per_manad = kolumn("kostnad_per_manad", "Kostnad per månad", Heltal())
    skatt_per_manad = kolumn("skatt_per_manad", "Utebliven skatt per månad", Heltal())
    kalla = kolumn("kalla", "Källa", Text(max_langd=300))
    kalla_datum = kolumn("kalla_datum", "Källans datum", Datum(kravs=False))

    obligatoriska = ("År", "Kostnad per månad", "Utebliven skatt per månad")
    jamfor_falt = ENKLA_FALT

    class Meta(FinsamResource.Meta):
        model = Effektnyckeltal
        fields = ("ar", *ENKLA_FALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar",)

    def rad_fel(self, rad: Rad, varden: dict[str, Any]) -> list[Fel]:
        return regler.effektnyckeltal(
            kostnad_per_manad=varden["kostnad_per_manad"],
            skatt_per_manad=varden["skatt_per_manad"],
        )

    def skriv_rad(self, rad: Rad, varden: dict[str, Any]) -> None:
        services.effektnyckeltal_spara(
            user=self.user,
            forbund=rad.forbund,
            ar=rad.extra["ar"],
            kostnad_per_manad=varden["kostnad_per_manad"],
            skatt_per_manad=varden["skatt_per_manad"],
            kalla=varden["kalla"] or "",
            kalla_datum=varden["kalla_datum"],
            import_fran=self.import_fran,
        )


def _koder_efter_namn(rader: Iterable[Any]) -> dict[str, str]:
    """A benefit's name (and code) → its code, matched as names are."""
    result = {}
    for rad in rader:
        result[nyckel(rad.namn)] = rad.kod
        result[nyckel(rad.kod)] = rad.kod
    return result


class ErsattningsnyckeltalResource(ForbundArBas):
    """Ersättningar: förflyttningsmodellens nyckeltal per ersättning och år."""

    kod = kolumn("kod", "Kod", Text(kravs=True, max_langd=40))
    namn = kolumn("namn", "Ersättning", Text(max_langd=100))
    betalare = kolumn("betalare", "Betalas av", Val(Betalare.choices))
    arsbelopp = kolumn("arsbelopp", "Belopp per år", Heltal())
    okning = kolumn("okning", "Årlig ökning %", Decimaltal())
    skattepliktig = kolumn("skattepliktig", "Skattepliktig", JaNej())
    kalla = kolumn("kalla", "Källa", Text(max_langd=300))

    obligatoriska = ("År", "Kod", "Ersättning", "Betalas av", "Belopp per år")
    nyckel_beskrivning = "år och kod"
    jamfor_falt = ERSATTNINGENS_FALT
    kravs_for_ny = ("namn", "betalare", "arsbelopp")
    falt_kolumner = {"kod": "Kod"}

    class Meta(FinsamResource.Meta):
        model = Ersattningsnyckeltal
        fields = ("ar", "kod", *ERSATTNINGENS_FALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar", "kod")

    def ordning(self) -> tuple[str, ...]:
        return ("forbund__namn", "ar", "ordning", "namn")

    def nyckel_for(self, objekt: Any) -> tuple[Any, ...]:
        return (objekt.forbund_id, objekt.ar, objekt.kod)

    def forbered(self, dataset: tablib.Dataset) -> None:
        super().forbered(dataset)
        per_ar: dict[tuple[int, int], list[Any]] = defaultdict(list)
        for o in self._befintliga.values():
            per_ar[(o.forbund_id, o.ar)].append(o)
        self._koder = {k: _koder_efter_namn(v) for k, v in per_ar.items()}
        self._katalogen = _koder_efter_namn(effektkatalog.ERSATTNINGAR)

    def radnyckel(
        self, row: Mapping[str, Any], rad: Rad, ar: int, fel: dict[str, list[str]]
    ) -> tuple[Any, ...] | None:
        text = self.las(row, "kod", fel)
        if not text:
            return None
        kod = self._koder.get((rad.forbund.pk, ar), self._katalogen).get(nyckel(text))
        if kod is None:
            try:
                validate_slug(text)
            except ValidationError:
                fel["Kod"].append(
                    f"Okänd ersättning ”{text}”. En ny ersättnings kod får bara innehålla "
                    "a–z, 0–9, - och _, t.ex. forsorjningsstod."
                )
                return None
            kod = text
        rad.extra["kod"] = kod
        return (rad.forbund.pk, ar, kod)

    def ny_instans(self, rad: Rad) -> models.Model:
        return Ersattningsnyckeltal(forbund=rad.forbund, ar=rad.extra["ar"], kod=rad.extra["kod"])

    def rad_fel(self, rad: Rad, varden: dict[str, Any]) -> list[Fel]:
        return regler.ersattningsnyckeltal(
            kod=rad.extra["kod"],
            namn=varden["namn"] or "",
            betalare=varden["betalare"] or "",
            arsbelopp=varden["arsbelopp"],
            okning=varden["okning"],
        )

    def skriv_rad(self, rad: Rad, varden: dict[str, Any]) -> None:
        services.ersattningsnyckeltal_spara(
            user=self.user,
            forbund=rad.forbund,
            ar=rad.extra["ar"],
            kod=rad.extra["kod"],
            namn=varden["namn"],
            betalare=varden["betalare"],
            arsbelopp=varden["arsbelopp"],
            okning=varden["okning"],
            skattepliktig=varden["skattepliktig"],
            kalla=varden["kalla"] or "",
            import_fran=self.import_fran,
        )


class InkomstnyckeltalResource(ForbundArBas):
    """Inkomstsida: lön, skattesatser och arbetsgivaravgift för den som går till arbete, per
    år."""

    arslon = kolumn("arslon", "Lön per år", Heltal())
    loneokning = kolumn("loneokning", "Löneökning %", Decimaltal())
    kommunalskatt = kolumn("kommunalskatt", "Kommunalskatt %", Decimaltal())
    regionskatt = kolumn("regionskatt", "Regionskatt %", Decimaltal())
    arbetsgivaravgift = kolumn("arbetsgivaravgift", "Arbetsgivaravgift %", Decimaltal())
    jobbskatteavdrag = kolumn("jobbskatteavdrag", "Jobbskatteavdrag", Heltal())
    kalla = kolumn("kalla", "Källa", Text(max_langd=300))

    obligatoriska = (
        "År",
        "Lön per år",
        "Kommunalskatt %",
        "Regionskatt %",
        "Arbetsgivaravgift %",
    )
    jamfor_falt = INKOMSTENS_FALT

    class Meta(FinsamResource.Meta):
        model = Inkomstnyckeltal
        fields = ("ar", *INKOMSTENS_FALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("ar",)

    def rad_fel(self, rad: Rad, varden: dict[str, Any]) -> list[Fel]:
        return regler.inkomstnyckeltal(**{k: varden[k] for k in INKOMSTENS_FALT if k != "kalla"})

    def skriv_rad(self, rad: Rad, varden: dict[str, Any]) -> None:
        services.inkomstnyckeltal_spara(
            user=self.user,
            forbund=rad.forbund,
            ar=rad.extra["ar"],
            varden={**varden, "kalla": varden["kalla"] or ""},
            import_fran=self.import_fran,
        )


#: What a transition may lead to besides a benefit, by its code and by its words.
TILL_UTOVER_ERSATTNING = {
    **{nyckel(k): k for k in MAL_UTOVER_ERSATTNING},
    **{nyckel(namn): k for k, namn in MAL_UTOVER_ERSATTNING.items()},
    nyckel("Oförändrad"): OFORANDRAD,
}


#: The column of each part of a transition cell that `regler.forflyttningsfel` names.
CELLENS_KOLUMNER = {FRAN: "Från", TILL: "Till", ANTAL: "Antal"}


class ForflyttningResource(FinsamResource):
    """Förflyttningar: hur många av en insats deltagare som gick från en ersättning till
    arbete, studier eller en annan ersättning under ett år (antal 0 tar bort en rad)."""

    insats = kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = kolumn("ar", "År", Heltal())
    fran = kolumn("fran", "Från", Text(kravs=True))
    till = kolumn("till", "Till", Text(kravs=True))
    antal = kolumn("antal", "Antal", Heltal())
    forbund = kolumn("insats__forbund__kortnamn", FORBUND)

    obligatoriska = ("Insats", "År", "Från", "Till", "Antal")
    nyckel_beskrivning = "insats, år, från och till"
    jamfor_falt = ("antal",)

    class Meta(FinsamResource.Meta):
        model = Forflyttning
        fields = ("insats", "ar", "fran", "till", "antal", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "fran", "till")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("insats__forbund").order_by(
            "insats__forbund__namn", "insats__ordning", "insats__namn", "ar", "fran", "till"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (f.insats_id, f.ar, f.fran, f.till): f
            for f in self.med_insats(
                Forflyttning.objects.filter(insats__forbund_id__in=self._tillatna)
            )
        }
        self._ersattningar: dict[tuple[int, int], dict[str, str]] = {}

    def arets_ersattningar(self, forbund: Forbund, ar: int) -> dict[str, str]:
        """`services.ersattningar_infor_aret`, once per förbund and year of the file."""
        if (forbund.pk, ar) not in self._ersattningar:
            self._ersattningar[(forbund.pk, ar)] = services.ersattningar_infor_aret(forbund, ar)
        return self._ersattningar[(forbund.pk, ar)]

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar = self.las(row, "ar", fel)
        fran, till = self.las(row, "fran", fel), self.las(row, "till", fel)
        rad.varden["antal"] = self.las(row, "antal", fel)
        if insats is None or ar is None or not fran or not till:
            return
        ersattningar = self.arets_ersattningar(rad.forbund, ar)
        koder = {nyckel(k): k for k in ersattningar}
        koder |= {nyckel(namn): k for k, namn in ersattningar.items()}
        fran = koder.get(nyckel(fran), fran)
        till = TILL_UTOVER_ERSATTNING.get(nyckel(till)) or koder.get(nyckel(till), till)
        rad.nyckel = (insats.pk, ar, fran, till)
        rad.befintlig = self._befintliga.get(rad.nyckel)
        rad.extra.update(insats=insats, ar=ar, ersattningar=ersattningar)

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            _insats, _ar, fran, till = rad.nyckel  # type: ignore[misc]
            for del_, text in regler.forflyttningsfel(
                fran, till, rad.varden["antal"], ersattningar=rad.extra["ersattningar"]
            ):
                # The rule says which part of the cell it is about; that part's column.
                yield rad, Fel(CELLENS_KOLUMNER[del_], text)

    def kolumn_for(self, falt: str) -> str:
        return falt if falt in self.obligatoriska else super().kolumn_for(falt)

    def ny_instans(self, rad: Rad) -> models.Model:
        _insats, ar, fran, till = rad.nyckel  # type: ignore[misc]
        return Forflyttning(insats=rad.extra["insats"], ar=ar, fran=fran, till=till)

    def skriv(self, rader: list[Rad]) -> None:
        """One matrix per insats and year: all its cells of the file in one service call."""
        matriser: dict[tuple[Insats, int], dict[tuple[str, str], int]] = defaultdict(dict)
        for rad in rader:
            _insats, ar, fran, till = rad.nyckel  # type: ignore[misc]
            matriser[(rad.extra["insats"], ar)][(fran, till)] = rad.varden["antal"]
        for (insats, ar), matris in matriser.items():
            services.forflyttningar_spara(
                user=self.user, insats=insats, ar=ar, matris=matris, import_fran=self.import_fran
            )


class AvslutsanledningKategoriResource(FinsamResource):
    """Utfallskategorier: vad ett avslut av varje avslutsanledning ledde till (bara
    kategorin ändras; anledningarna läggs till i admin)."""

    namn = kolumn("namn", "Avslutsanledning", Text(kravs=True))
    uppsattning = kolumn("uppsattning", "Uppsättning", Text(kravs=True))
    kategori = kolumn("kategori", "Utfallskategori", Val(Avslutsanledning.Kategori.choices))
    forbund = kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Avslutsanledning", "Uppsättning", "Utfallskategori")
    forbund_via = "forbund"
    nyckel_beskrivning = "avslutsanledning och uppsättning"
    jamfor_falt = ("kategori",)

    class Meta(FinsamResource.Meta):
        model = Avslutsanledning
        fields = ("namn", "uppsattning", "kategori", "forbund")
        import_order = export_order = fields
        import_id_fields = ("namn", "uppsattning")

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("forbund").order_by(
            "forbund__namn", "uppsattning", "ordning", "namn"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._anledningar = {
            (a.forbund_id, nyckel(a.uppsattning), nyckel(a.namn)): a
            for a in Avslutsanledning.objects.filter(forbund_id__in=self._tillatna).select_related(
                "forbund"
            )
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn, uppsattning = self.las(row, "namn", fel), self.las(row, "uppsattning", fel)
        rad.varden["kategori"] = self.las(row, "kategori", fel)
        if not namn or not uppsattning:
            return
        rad.nyckel = (rad.forbund.pk, nyckel(uppsattning), nyckel(namn))
        rad.befintlig = self._anledningar.get(rad.nyckel)
        if rad.befintlig is None:
            fel["Avslutsanledning"].append(
                f"Okänd avslutsanledning ”{namn}” i uppsättningen ”{uppsattning}” i "
                f"{rad.forbund.namn}. Nya anledningar läggs till i admin."
            )

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        for rad in rader:
            for f in regler.utfallskategori(rad.varden["kategori"]):
                yield rad, f

    def skriv(self, rader: list[Rad]) -> None:
        for rad in rader:
            assert isinstance(rad.befintlig, Avslutsanledning)
            services.avslutsanledning_kategori_satt(
                user=self.user,
                anledning=rad.befintlig,
                kategori=rad.varden["kategori"],
                import_fran=self.import_fran,
            )


__all__ = [
    "AvslutsanledningKategoriResource",
    "EffektnyckeltalResource",
    "ErsattningsnyckeltalResource",
    "ForflyttningResource",
    "InkomstnyckeltalResource",
    "UtfallsmalResource",
]
