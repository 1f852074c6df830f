"""Import and export of the förbund's data as Excel and CSV (django-import-export): the
machinery every resource shares (the columns' widgets are in `kolumner`).

Every resource has Swedish column headers and matches rows on their natural key (e.g. insats +
år + månad), so importing the same file twice changes nothing. A resource is a thin door onto
the services: it reads the file (names → objects, cells → values), asks the services' rules for
every row and for the file as a whole, shows the preview, and hands the rows to a service that
writes them and their audit rows. The whole file is read and checked before anything is
written; one bad row and nothing is saved. Errors name the row (as Excel numbers it: the
header is row 1) and the column, in Swedish.

Who imports: the admin passes the logged-in user. `manage.py import` and `manage.py export`
construct the resource without arguments, so there the user is read from the environment
variable `FINSAM_IMPORT_USER` (a username); `FINSAM_IMPORT_GODKAND=1` marks imported months as
approved. Without a user nothing is imported or exported. Only verksamhetsutvecklare and
förbundschef import and export, and only their own förbund's data; whoever may import into
several förbund (a superuser of an installation with several) needs a `Förbund` column
(kortnamn or namn) in every file.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from import_export import fields, resources
from import_export.results import Result, RowResult

from registrering import permissions
from registrering.audit import diff, snapshot
from registrering.formats import ImportFel, Obehorig, filrad, neutralisera
from registrering.masskrivning import farre_skrapsamlingar
from registrering.models import Forbund, Insats, User
from registrering.regler import Fel
from registrering.resources.kolumner import Heltal, Text, lista, nyckel

ENV_ANVANDARE = "FINSAM_IMPORT_USER"
ENV_GODKAND = "FINSAM_IMPORT_GODKAND"
FORBUND = "Förbund"
HELA_RADEN = NON_FIELD_ERRORS
#: A preview shows the before/after values of this many rows (as both doors show them); the
#: rest of a large file is only counted, which keeps its memory and time down.
VISADE_RADER = 500
INGEN_BEHORIGHET = (
    "Du har inte behörighet att importera eller exportera. Bara verksamhetsutvecklare och "
    "förbundschef får det, och bara för sitt eget förbund."
)


def miljo_ja(namn: str) -> bool:
    return os.environ.get(namn, "").strip().lower() in {"1", "ja", "true", "yes", "on"}


@dataclass(slots=True)
class Rad:
    """One parsed row of the file: what it refers to and the values it sets."""

    nr: int  # as Excel numbers it: the header is row 1, blank rows count (`formats.filrad`)
    forbund: Forbund
    index: int = 0  # the dataset's row (1 for the first under the header; blank rows dropped)
    nyckel: tuple[Any, ...] | None = None
    varden: dict[str, Any] = field(default_factory=dict)
    befintlig: models.Model | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    fore: dict[str, Any] = field(default_factory=dict)
    efter: dict[str, Any] = field(default_factory=dict)
    ta_bort: bool = False


_INGA_FEL: dict[str, list[str]] = {}


class FinsamResource(resources.ModelResource):
    """The rules every resource shares; subclasses describe their columns and rows."""

    #: column headers that must be present (the Förbund column is added when needed)
    obligatoriska: ClassVar[tuple[str, ...]] = ()
    #: lookup from the model to its förbund
    forbund_via: ClassVar[str] = "insats__forbund"
    #: what the natural key consists of, for the duplicate message
    nyckel_beskrivning: ClassVar[str] = ""
    #: model fields compared to decide "oförändrad", written, and audited
    jamfor_falt: ClassVar[tuple[str, ...]] = ()
    #: the column of a rule's field, where it is not the resource field of the same name
    falt_kolumner: ClassVar[dict[str, str]] = {}

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(
        self,
        user: User | None = None,
        godkand: bool | None = None,
        idag: dt.date | None = None,
        radfel_som_filfel: bool = True,
        **kwargs: Any,
    ) -> None:
        """`user` imports or exports; `godkand` marks imported months approved; `idag` is for
        tests; with `radfel_som_filfel` the row errors are also summed up in one file error,
        which is what `manage.py import` prints (it shows no validation errors)."""
        super().__init__(**kwargs)
        self._meta: Any = copy.copy(type(self)._meta)
        self._anvandare = user
        self.godkand = godkand
        self.idag = idag
        self.radfel_som_filfel = radfel_som_filfel
        self._flera: bool | None = None
        self._rader: dict[int, tuple[Rad | None, dict[str, list[str]]]] = {}
        self._rad: Rad | None = None
        self._att_skriva: list[Rad] = []
        self._med_diff = 0
        self._delade: dict[str, RowResult] = {}
        self._forhandsgranskning = False
        self._nu = timezone.now()

    @classmethod
    def get_display_name(cls) -> str:
        return cls.__doc__.strip().split("\n")[0].rstrip(".") if cls.__doc__ else cls.__name__

    # --- who, and which förbund -------------------------------------------------------------

    @property
    def user(self) -> User:
        """Who imports or exports (the admin's user, or the one named in the environment)."""
        return self.anvandare()

    def anvandare(self, kwargs: Mapping[str, Any] | None = None) -> User:
        user = self._anvandare or (kwargs or {}).get("user")
        if user is None:
            namn = os.environ.get(ENV_ANVANDARE, "").strip()
            if not namn:
                raise ImportFel(
                    "Ingen användare: ange vem som importerar eller exporterar med "
                    f"miljövariabeln {ENV_ANVANDARE}=<användarnamn> (en verksamhetsutvecklare "
                    "eller förbundschef)."
                )
            user = get_user_model().objects.filter(username=namn, is_active=True).first()
            if user is None:
                raise ImportFel(
                    f"Användaren ”{namn}” ({ENV_ANVANDARE}) finns inte eller är inaktiv."
                )
        self._anvandare = user
        return user

    def tillatna_forbund(self) -> list[Forbund]:
        user = self.anvandare()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return []
        alla = (
            Forbund.objects.all()
            if user.is_superuser
            else Forbund.objects.filter(pk__in=[user.forbund_id] if user.forbund_id else [])
        )
        return [f for f in alla if permissions.kan_importera(user, f)]

    def flera_forbund(self) -> bool:
        """Whether the rows must say which förbund they belong to: when whoever imports may
        import into more than one (a superuser of an installation with several förbund). A
        verksamhetsutvecklare's rows are their own förbund's, however many the installation
        has; a `Förbund` column in their file is still checked. Without a known user, the
        installation decides."""
        if self._flera is None:
            try:
                self._flera = len(self.tillatna_forbund()) > 1
            except ImportFel:
                self._flera = Forbund.objects.count() > 1
        return self._flera

    def _get_ordered_field_names(self, order_field: str) -> tuple[str, ...]:
        namn = super()._get_ordered_field_names(order_field)
        # One förbund: the Förbund column is left out of exports and the column lists.
        if "forbund" in namn and not self.flera_forbund():
            return tuple(n for n in namn if n != "forbund")
        return namn

    # --- export ----------------------------------------------------------------------------

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """What this resource exports, with the related rows it shows."""
        return qs

    def _begransa(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        tillatna = self.tillatna_forbund()
        if not tillatna:
            raise Obehorig(INGEN_BEHORIGHET)
        lookup = f"{self.forbund_via}__in" if self.forbund_via else "pk__in"
        return self.export_urval(qs.filter(**{lookup: tillatna}))

    def export_field(self, field: fields.Field, instance: Any, **kwargs: Any) -> Any:
        # Also when the command line's `export CSV` uses the library's own formats.
        return neutralisera(super().export_field(field, instance, **kwargs))

    def get_queryset(self) -> QuerySet[Any]:
        """Only the user's förbund (every queryset here is scoped)."""
        return self._begransa(self._meta.model.objects.all())

    def filter_export(self, queryset: QuerySet[Any], **kwargs: Any) -> QuerySet[Any]:
        # The admin passes its own queryset (already scoped): scoped once more, to be sure.
        return self._begransa(queryset)

    # --- import: reading the whole file first -----------------------------------------------

    def import_data(
        self, dataset: tablib.Dataset, dry_run: bool = False, *args: Any, **kwargs: Any
    ) -> Result:
        """As the library's, but a single invalid row rolls back the whole file."""
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        # The library does not tell `before_import` whether this is a preview.
        self._forhandsgranskning = bool(dry_run)
        with farre_skrapsamlingar():
            return super().import_data(dataset, dry_run, *args, **kwargs)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self._rader, self._att_skriva, self._med_diff = {}, [], 0
        self._delade = {}
        self._nu = timezone.now()
        # The before/after values per row are for the preview (a dry run) only; a confirmed
        # import skips them, which makes it several times faster.
        self._meta.skip_diff = self._meta.skip_html_diff = not self._forhandsgranskning
        self._filnamn = kwargs.get("file_name") or ""
        rubriker = list(dataset.headers or [])
        try:
            self.anvandare(kwargs)
            if self.godkand is None:
                self.godkand = bool(kwargs.get("godkand", miljo_ja(ENV_GODKAND)))
            self._normalisera_rubriker(dataset)
            tillatna = self.tillatna_forbund()
            if not tillatna:
                raise Obehorig(INGEN_BEHORIGHET)
            self._tillatna = {f.pk: f for f in tillatna}
            self._alla_forbund = list(Forbund.objects.all())
            self._kontrollera_rubriker(list(dataset.headers or []))
            self.forbered(dataset)
            self._tolka_alla(dataset)
        except ImportFel:
            # The file as a whole is wrong: no row-by-row errors on top of that message.
            dataset.wipe()
            dataset.headers = rubriker
            raise

    def _normalisera_rubriker(self, dataset: tablib.Dataset) -> None:
        kanda = {nyckel(f.column_name): f.column_name for f in self.fields.values()}
        rubriker = [kanda.get(nyckel(r), str(r).strip()) for r in dataset.headers or []]
        dubbla = sorted({r for r in rubriker if r and rubriker.count(r) > 1})
        if dubbla:
            raise ImportFel(f"Kolumnen {lista(dubbla)} finns mer än en gång i filen.")
        dataset.headers = rubriker

    def forvantade_kolumner(self) -> tuple[list[str], list[str]]:
        """(required, optional) column headers."""
        alla = [f.column_name for f in self.fields.values()]
        obligatoriska = [*self.obligatoriska]
        if self.flera_forbund():
            obligatoriska.append(FORBUND)
        return obligatoriska, [k for k in alla if k not in obligatoriska]

    def _kontrollera_rubriker(self, rubriker: list[str]) -> None:
        obligatoriska, valfria = self.forvantade_kolumner()
        saknas = [k for k in obligatoriska if k not in rubriker]
        okanda = [r or "(tom rubrik)" for r in rubriker if r not in obligatoriska + valfria]
        if not saknas and not okanda:
            return
        delar = []
        if saknas:
            delar.append(
                f"saknar {'kolumnen' if len(saknas) == 1 else 'kolumnerna'} {lista(saknas)}"
            )
        if okanda:
            delar.append(
                f"har {'en okänd kolumn' if len(okanda) == 1 else 'okända kolumner'}: "
                f"{lista(okanda)}"
            )
        text = f"Fel kolumnrubriker: filen {' och '.join(delar)}. Rubrikraden ska vara "
        text += ";".join(obligatoriska)
        if valfria:
            text += f" (valfria kolumner: {', '.join(valfria)})"
        if FORBUND in saknas:
            text += ". Du kan importera till flera förbund, så varje rad måste ange sitt förbund"
        raise ImportFel(text + ".")

    def forbered(self, dataset: tablib.Dataset) -> None:
        """Fetch what the rows refer to, once (dictionary lookups per row after that)."""

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        """Parse and check one row: set `rad.nyckel`, `rad.varden`, `rad.befintlig`."""
        raise NotImplementedError

    def regler(self, rader: list[Rad]) -> Iterable[tuple[Rad, Fel]]:
        """The services' rules for the rows that could be read: per row, and for the file as
        a whole (a breakdown's sum, the ledger after every row)."""
        return ()

    def kolumn_for(self, falt: str) -> str:
        """The column a rule's message belongs to (the whole row when none)."""
        if falt in self.falt_kolumner:
            return self.falt_kolumner[falt]
        if falt in self.fields:
            return self.fields[falt].column_name
        return HELA_RADEN

    def _tolka_alla(self, dataset: tablib.Dataset) -> None:
        forsta: dict[tuple[Any, ...], int] = {}
        for i, varden in enumerate(dataset, 1):
            row = dict(zip(dataset.headers, varden, strict=False))
            fel: dict[str, list[str]] = defaultdict(list)
            rad = None
            forbund = self._rad_forbund(row, fel)
            if forbund is not None:
                rad = Rad(nr=filrad(dataset, i), forbund=forbund, index=i)
                self.tolka(row, rad, fel)
                if rad.nyckel is not None:
                    if rad.nyckel in forsta:
                        fel[HELA_RADEN].append(
                            f"Raden är en dubblett av rad {forsta[rad.nyckel]}: samma "
                            f"{self.nyckel_beskrivning}. Ta bort en av dem."
                        )
                    else:
                        forsta[rad.nyckel] = rad.nr
            # Most rows have no error: they share one empty mapping (`fel_pa` makes their own).
            self._rader[i] = (rad, fel if fel else _INGA_FEL)
        for rad, regelfel in self.regler(list(self.giltiga_rader())):
            self.fel_pa(rad, self.kolumn_for(regelfel.falt), regelfel.text)

    def fel_pa(self, rad: Rad, kolumn: str, text: str) -> None:
        radens, fel = self._rader[rad.index]
        if fel is _INGA_FEL:
            fel = defaultdict(list)
            self._rader[rad.index] = (radens, fel)
        fel[kolumn].append(text)

    def giltiga_rader(self) -> Iterable[Rad]:
        return (rad for rad, fel in self._rader.values() if rad is not None and not fel)

    def _rad_forbund(self, row: Mapping[str, Any], fel: dict[str, list[str]]) -> Forbund | None:
        cell = row.get(FORBUND)
        # Most files have no Förbund column: no widget for a cell that is not there.
        namn = "" if cell is None or cell == "" else Text().clean(cell)
        if not namn:
            if self.flera_forbund():
                fel[FORBUND].append("Ange förbundets kortnamn eller namn.")
                return None
            return next(iter(self._tillatna.values()))
        forbund = next(
            (f for f in self._alla_forbund if nyckel(namn) in {nyckel(f.kortnamn), nyckel(f.namn)}),
            None,
        )
        if forbund is None:
            fel[FORBUND].append(f"Okänt förbund ”{namn}”.")
        elif forbund.pk not in self._tillatna:
            fel[FORBUND].append(
                f"Du hör inte till {forbund.namn} och kan inte importera till det förbundet."
            )
            return None
        return forbund

    def las(self, row: Mapping[str, Any], namn: str, fel: dict[str, list[str]]) -> Any:
        """The cleaned value of the column of field `namn`; None (and an error) if invalid."""
        kolumn = self.fields[namn].column_name
        try:
            return self.fields[namn].widget.clean(row.get(kolumn))
        except ValueError as exc:
            fel[kolumn].append(str(exc))
            return None

    def har_kolumn(self, row: Mapping[str, Any], namn: str) -> bool:
        return self.fields[namn].column_name in row

    # Shared lookups: insatser by name within the row's förbund.

    def hamta_insatser(self) -> None:
        self._insatser = {
            (i.forbund_id, nyckel(i.namn)): i
            for i in Insats.objects.filter(forbund_id__in=self._tillatna).select_related("forbund")
        }
        self._insats_pk = {i.pk: i for i in self._insatser.values()}

    def med_insats(self, objekt: Iterable[Any]) -> Iterable[Any]:
        """Rows with their insats set from the dictionary (no query per row for its name)."""
        for obj in objekt:
            obj.insats = self._insats_pk[obj.insats_id]
            yield obj

    def las_insats(
        self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]], falt: str = "insats"
    ) -> Insats | None:
        namn = self.las(row, falt, fel)
        if not namn:
            return None
        insats = self._insatser.get((rad.forbund.pk, nyckel(namn)))
        if insats is None:
            kolumn = self.fields[falt].column_name
            text = f"Okänd insats ”{namn}” i {rad.forbund.namn}."
            namnen = [i.namn for (f, _n), i in self._insatser.items() if f == rad.forbund.pk]
            if forslag := difflib.get_close_matches(namn, namnen, n=1):
                text += f" Menade du ”{forslag[0]}”?"
            fel[kolumn].append(text)
        return insats

    @staticmethod
    def ar_i_filen(dataset: tablib.Dataset, rubrik: str) -> set[int]:
        if rubrik not in (dataset.headers or []):
            return set()
        ar: set[int] = set()
        for varde in dataset[rubrik]:
            try:
                if (tal := Heltal().clean(varde)) is not None:
                    ar.add(tal)
            except ValueError:
                continue  # the row's own check names the bad cell
        return ar

    # --- import: one row (the library's hooks) ------------------------------------------------

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        rad, fel = self._rader.get(
            kwargs.get("row_number", 0), (None, {HELA_RADEN: ["Okänd rad."]})
        )
        if fel or rad is None:
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(
                {k: list(v) for k, v in (fel or {HELA_RADEN: ["Raden kunde inte läsas."]}).items()}
            )
            return result
        utan_diff = self._meta.skip_diff or self._med_diff >= VISADE_RADER
        if utan_diff and (typ := self.importtyp(rad)) is not None:
            return self._utan_detaljer(rad, typ)
        self._med_diff += 1
        self._rad = rad
        return super().import_row(row, instance_loader, **kwargs)

    def importtyp(self, rad: Rad) -> str | None:
        """New, update or skip for a row whose before/after values are not shown, decided
        without building its instance; None: the library's own way (a resource that does
        not say)."""
        return None

    def _utan_detaljer(self, rad: Rad, typ: str) -> RowResult:
        """A row that is only counted: it goes to the writer as `save_instance` sends it, and
        its result is one shared, empty row result per type (100 000 rows, one object)."""
        if typ != RowResult.IMPORT_TYPE_SKIP:
            self._att_skriva.append(rad)
        if typ not in self._delade:
            self._delade[typ] = self.get_row_result_class()()
            self._delade[typ].import_type = typ
        return self._delade[typ]

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model()

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        """The values compared and audited, as plain JSON values."""
        return snapshot(instance, self.jamfor_falt)

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[models.Model, bool]:
        rad = self._rad
        assert rad is not None
        if rad.befintlig is not None:
            # A copy: the preview sets the row's values on it, the service reads the original.
            rad.fore = self.las_fore(rad.befintlig)
            return copy.copy(rad.befintlig), False
        rad.fore = {}
        return self.ny_instans(rad), True

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        rad = self._rad
        assert rad is not None
        for namn, varde in rad.varden.items():
            setattr(instance, namn, varde)
        self.efter_varden(instance, rad, kwargs)
        rad.efter = self.las_fore(instance)

    def efter_varden(self, instance: models.Model, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        """Derived values (status, who confirmed), after the row's own values are set."""

    def skip_row(
        self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        rad = self._rad
        assert rad is not None
        return rad.befintlig is not None and not diff(rad.fore, rad.efter)

    # --- import: the rows are written by a service, after the last one ----------------------

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        assert self._rad is not None
        self._att_skriva.append(self._rad)

    def delete_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        assert self._rad is not None
        self._rad.ta_bort = True
        self._att_skriva.append(self._rad)

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        """Written by the service with the row."""

    def bulk_create(self, *args: Any, **kwargs: Any) -> None:
        """Nothing: the service writes."""

    def bulk_update(self, *args: Any, **kwargs: Any) -> None:
        """Nothing: the service writes."""

    def bulk_delete(self, *args: Any, **kwargs: Any) -> None:
        """Nothing: the service writes."""

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        # The library numbers the dataset's rows; the pages and messages show `number` + 1 as
        # the file's row (`formats.filrad`: blank rows were dropped from the dataset).
        for invalid in result.invalid_rows:
            invalid.number = filrad(dataset, invalid.number) - 1
        if result.invalid_rows:
            if self.radfel_som_filfel:
                raise ImportFel(self._sammanfattning(result))
            return
        if result.has_errors() or kwargs.get("dry_run"):
            return
        try:
            self.skriv(self._att_skriva)
        except ValidationError as exc:
            # The file was checked a moment ago; someone changed the data in between.
            raise ImportFel(
                "Uppgifterna ändrades medan filen lästes in; inget har sparats. Läs in filen "
                "igen. " + " ".join(exc.messages)
            ) from exc

    def skriv(self, rader: list[Rad]) -> None:
        """Hand the rows to the service that writes them (and their audit rows)."""
        raise NotImplementedError

    @property
    def import_fran(self) -> str:
        """What the audit rows say the data came from."""
        return self._filnamn or "fil"

    def _sammanfattning(self, result: Result) -> str:
        rader = []
        for invalid in result.invalid_rows:
            for kolumn, texter in invalid.error_dict.items():
                for text in texter:
                    plats = f"Rad {invalid.number + 1}"
                    if kolumn != HELA_RADEN:
                        plats += f", {kolumn}"
                    rader.append(f"{plats}: {text}")
        visas = rader[:50]
        if len(rader) > len(visas):
            visas.append(f"… och {len(rader) - len(visas)} fel till.")
        antal = len(result.invalid_rows)
        return (
            f"Filen har fel på {antal} {'rad' if antal == 1 else 'rader'}; inget har sparats.\n"
            + "\n".join(visas)
        )
