"""Import and export of the förbund's data as Excel and CSV (django-import-export resources).

Every resource has Swedish column headers and matches rows on their natural key (e.g. insats +
år + månad), so importing the same file twice changes nothing. The rules are the browser's:

- only verksamhetsutvecklare and förbundschef import and export (`permissions.kan_importera`),
  and only their own förbund's data; with several förbund in the installation every file needs
  a `Förbund` column (kortnamn or namn);
- the whole file is read and checked before anything is written; one bad row and nothing is
  saved (`use_transactions`, rollback on validation errors). Errors name the row (as Excel
  numbers it: the header is row 1) and the column, in Swedish;
- an approved (locked) month is never changed; imported months count as reported (status
  "inskickad") or, if the importer chooses, "godkänd";
- every created or changed row writes an `AuditEntry` with action "importerad" and old → new.

Who imports: the admin passes the logged-in user. `manage.py import` and `manage.py export`
construct the resource without arguments, so there the user is read from the environment
variable `FINSAM_IMPORT_USER` (a username); `FINSAM_IMPORT_GODKAND=1` marks imported months as
approved. Without a user nothing is imported or exported.

The library's flow is kept (`before_import` → `import_row` per row → `after_import`), but the
rows are parsed and checked all at once in `before_import`: duplicates and sums across rows
need the whole file, and the per-row work is then a dictionary lookup.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import tablib
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult

from registrering import permissions
from registrering.audit import diff, snapshot
from registrering.formats import ImportFel, Obehorig, avneutralisera, neutralisera
from registrering.kalender import MANADER, datum_svenskt, manaden_har_slutat, manadens_sista
from registrering.models import (
    Arstotal,
    AuditEntry,
    AvslutadePerAnledning,
    Avslutsanledning,
    BudgeteradVolym,
    Enkatfraga,
    Enkatsvar,
    Enkattillfalle,
    Forbund,
    Huvudman,
    IngaendeBalans,
    Insats,
    Insatsgrupp,
    Justering,
    Malgrupp,
    Manadsrapport,
    Medlem,
    NyaPerHuvudman,
    Svarsalternativ,
)

ENV_ANVANDARE = "FINSAM_IMPORT_USER"
ENV_GODKAND = "FINSAM_IMPORT_GODKAND"
FORBUND = "Förbund"
HELA_RADEN = NON_FIELD_ERRORS
Status = Manadsrapport.Status
FLODESFALT = ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man")

INGEN_BEHORIGHET = (
    "Du har inte behörighet att importera eller exportera. Bara verksamhetsutvecklare och "
    "förbundschef får det, och bara för sitt eget förbund."
)


def _nyckel(text: Any) -> str:
    """Names are matched ignoring case and extra spaces."""
    return " ".join(str(text).split()).casefold()


def _lista(namn: Iterable[str]) -> str:
    namn = [f"”{n}”" for n in namn]
    return namn[0] if len(namn) == 1 else ", ".join(namn[:-1]) + " och " + namn[-1]


def _miljo_ja(namn: str) -> bool:
    return os.environ.get(namn, "").strip().lower() in {"1", "ja", "true", "yes", "on"}


# --- Widgets: one Swedish representation per kind of value ----------------------------------


class Text(widgets.Widget):
    def __init__(self, *, kravs: bool = False, max_langd: int | None = None) -> None:
        super().__init__(coerce_to_string=True)
        self.kravs = kravs
        self.max_langd = max_langd

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else " ".join(str(avneutralisera(value)).split())
        if self.kravs and not text:
            raise ValueError("Värde saknas.")
        if self.max_langd and len(text) > self.max_langd:
            raise ValueError(f"Högst {self.max_langd} tecken (här {len(text)}).")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


_HELTAL = re.compile(r"[-−]?\d+(?:[,.]0+)?")


class Heltal(widgets.Widget):
    """A whole number: 12, "12", "1 200" (Excel's thousands separator), "12,0"."""

    def __init__(
        self,
        *,
        kravs: bool = True,
        minsta: int = 0,
        storsta: int | None = None,
        intervall: str = "",
    ) -> None:
        super().__init__(coerce_to_string=False)
        self.kravs = kravs
        self.minsta = minsta
        self.storsta = storsta
        self.intervall = intervall

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.kravs:
                raise ValueError("Värde saknas: ange ett heltal.")
            return None
        if isinstance(value, bool):
            raise ValueError(f"”{value}” är inte ett heltal.")
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"”{value}” är inte ett heltal.".replace(".", ","))
            value = int(value)
        if isinstance(value, int):
            tal = value
        else:
            text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
            if not _HELTAL.fullmatch(text):
                raise ValueError(f"”{str(value).strip()}” är inte ett heltal.")
            tal = int(re.split(r"[,.]", text.replace("−", "-"))[0])
        if self.intervall and not (
            self.minsta <= tal and (self.storsta is None or tal <= self.storsta)
        ):
            raise ValueError(self.intervall)
        if tal < self.minsta:
            raise ValueError(f"Kan inte vara negativt ({tal}).")
        return tal

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value


class Datum(widgets.Widget):
    """ÅÅÅÅ-MM-DD, also 31/12 2025 and 31/12/2025; a date cell in Excel as it is."""

    MONSTER = (
        re.compile(r"(?P<ar>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
        re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})[ /](?P<ar>\d{4})"),
    )

    def __init__(self, *, kravs: bool = True) -> None:
        super().__init__(coerce_to_string=False)
        self.kravs = kravs

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            if self.kravs:
                raise ValueError("Värde saknas: ange ett datum (ÅÅÅÅ-MM-DD).")
            return None
        text = text.split(" 00:00")[0].split("T")[0] if re.match(r"\d{4}-", text) else text
        for monster in self.MONSTER:
            if match := monster.fullmatch(text):
                try:
                    return dt.date(int(match["ar"]), int(match["m"]), int(match["d"]))
                except ValueError:
                    break
        raise ValueError(f"”{text}” är inte ett datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2025-12-31.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value


class Val(widgets.Widget):
    """One of a model field's choices, written with its Swedish label."""

    def __init__(self, choices: Iterable[tuple[str, str]], *, kravs: bool = True) -> None:
        super().__init__(coerce_to_string=True)
        self.choices = list(choices)
        self.kravs = kravs
        self._till_varde = {}
        for varde, etikett in self.choices:
            self._till_varde[_nyckel(etikett)] = varde
            self._till_varde[_nyckel(varde)] = varde

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.kravs:
                raise ValueError(f"Värde saknas: ange {self.tillatna()}.")
            return ""
        try:
            return self._till_varde[_nyckel(text)]
        except KeyError:
            raise ValueError(f"Okänt värde ”{text}”. Ange {self.tillatna()}.") from None

    def tillatna(self) -> str:
        return " eller ".join(", ".join(e for _v, e in self.choices).rsplit(", ", 1))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return dict(self.choices).get(value, value or "")


class JaNej(widgets.Widget):
    JA = {"ja", "j", "x", "1", "true", "sant"}
    NEJ = {"nej", "n", "", "0", "false", "falskt"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = "" if value is None else _nyckel(value)
        if text in self.JA:
            return True
        if text in self.NEJ:
            return False
        raise ValueError(f"Okänt värde ”{value}”. Ange Ja eller Nej.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "Ja" if value else "Nej"


class Namnlista(widgets.Widget):
    """Names separated by commas, e.g. the målgrupper of an insats."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        text = "" if value is None else str(value)
        return [namn.strip() for namn in re.split(r"[,;]", text) if namn.strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ", ".join(str(o) for o in value.all())


def _kolumn(attribute: str, rubrik: str, widget: widgets.Widget | None = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=rubrik, widget=widget or Text())


def _ar_widget() -> Heltal:
    return Heltal(minsta=2000, storsta=2100, intervall="Året ska vara ett årtal, t.ex. 2025.")


def _manad_widget() -> Heltal:
    return Heltal(minsta=1, storsta=12, intervall="Månaden ska vara ett tal från 1 till 12.")


# --- The shared machinery ---------------------------------------------------------------------


@dataclass
class Rad:
    """One parsed row of the file: what it refers to and the values it sets."""

    nr: int  # as Excel numbers it: the header is row 1
    forbund: Forbund
    nyckel: tuple[Any, ...] | None = None
    varden: dict[str, Any] = field(default_factory=dict)
    befintlig: models.Model | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    fore: dict[str, Any] = field(default_factory=dict)
    efter: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Logg:
    forbund_id: int
    instance: models.Model
    changes: dict[str, Any]


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

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(
        self,
        user: Any = None,
        godkand: bool | None = None,
        idag: dt.date | None = None,
        radfel_som_filfel: bool = True,
        **kwargs: Any,
    ) -> None:
        """`user` imports or exports; `godkand` marks imported months approved; `idag` is for
        tests; with `radfel_som_filfel` the row errors are also summed up in one file error,
        which is what `manage.py import` prints (it shows no validation errors)."""
        super().__init__(**kwargs)
        self._meta = copy.copy(type(self)._meta)
        self.user = user
        self.godkand = godkand
        self.idag = idag
        self.radfel_som_filfel = radfel_som_filfel
        self._flera: bool | None = None
        self._rader: dict[int, tuple[Rad | None, dict[str, list[str]]]] = {}
        self._rad: Rad | None = None
        self._logg: list[_Logg] = []
        self._nu = timezone.now()

    @classmethod
    def get_display_name(cls) -> str:
        return cls.__doc__.strip().split("\n")[0].rstrip(".") if cls.__doc__ else cls.__name__

    # --- who, and which förbund -------------------------------------------------------------

    def anvandare(self, kwargs: Mapping[str, Any] | None = None) -> Any:
        user = self.user or (kwargs or {}).get("user")
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
        self.user = user
        return user

    def tillatna_forbund(self) -> list[Forbund]:
        user = self.anvandare()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return []
        alla = (
            Forbund.objects.all()
            if user.is_superuser
            else Forbund.objects.filter(pk=user.forbund_id)
        )
        return [f for f in alla if permissions.kan_importera(user, f)]

    def flera_forbund(self) -> bool:
        if self._flera is None:
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

    def import_data(self, dataset: tablib.Dataset, *args: Any, **kwargs: Any) -> Result:
        """As the library's, but a single invalid row rolls back the whole file."""
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self._rader, self._logg = {}, []
        self._nu = timezone.now()
        # The before/after values per row are for the preview (a dry run) only; a confirmed
        # import skips them, which makes it several times faster.
        self._meta.skip_diff = self._meta.skip_html_diff = not kwargs.get("dry_run", False)
        self._filnamn = kwargs.get("file_name") or ""
        rubriker = list(dataset.headers or [])
        try:
            self.anvandare(kwargs)
            if self.godkand is None:
                self.godkand = bool(kwargs.get("godkand", _miljo_ja(ENV_GODKAND)))
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
        kanda = {_nyckel(f.column_name): f.column_name for f in self.fields.values()}
        rubriker = [kanda.get(_nyckel(r), str(r).strip()) for r in dataset.headers or []]
        dubbla = sorted({r for r in rubriker if r and rubriker.count(r) > 1})
        if dubbla:
            raise ImportFel(f"Kolumnen {_lista(dubbla)} finns mer än en gång i filen.")
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
                f"saknar {'kolumnen' if len(saknas) == 1 else 'kolumnerna'} {_lista(saknas)}"
            )
        if okanda:
            delar.append(
                f"har {'en okänd kolumn' if len(okanda) == 1 else 'okända kolumner'}: "
                f"{_lista(okanda)}"
            )
        text = f"Fel kolumnrubriker: filen {' och '.join(delar)}. Rubrikraden ska vara "
        text += ";".join(obligatoriska)
        if valfria:
            text += f" (valfria kolumner: {', '.join(valfria)})"
        if FORBUND in saknas:
            text += ". Installationen har flera förbund, så varje rad måste ange sitt förbund"
        raise ImportFel(text + ".")

    def forbered(self, dataset: tablib.Dataset) -> None:
        """Fetch what the rows refer to, once (dictionary lookups per row after that)."""

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        """Parse and check one row: set `rad.nyckel`, `rad.varden`, `rad.befintlig`."""
        raise NotImplementedError

    def kontrollera_helheten(self) -> None:
        """Rules across rows (sums of a breakdown); add errors with `self.fel_pa`."""

    def _tolka_alla(self, dataset: tablib.Dataset) -> None:
        forsta: dict[tuple[Any, ...], int] = {}
        for i, varden in enumerate(dataset, 1):
            row = dict(zip(dataset.headers, varden, strict=False))
            fel: dict[str, list[str]] = defaultdict(list)
            rad = None
            forbund = self._rad_forbund(row, fel)
            if forbund is not None:
                rad = Rad(nr=i + 1, forbund=forbund)
                self.tolka(row, rad, fel)
                if rad.nyckel is not None:
                    if rad.nyckel in forsta:
                        fel[HELA_RADEN].append(
                            f"Raden är en dubblett av rad {forsta[rad.nyckel] + 1}: samma "
                            f"{self.nyckel_beskrivning}. Ta bort en av dem."
                        )
                    else:
                        forsta[rad.nyckel] = i
            self._rader[i] = (rad, fel)
        self.kontrollera_helheten()

    def fel_pa(self, rad: Rad, kolumn: str, text: str) -> None:
        self._rader[rad.nr - 1][1][kolumn].append(text)

    def giltiga_rader(self) -> Iterable[Rad]:
        return (rad for rad, fel in self._rader.values() if rad is not None and not fel)

    def _rad_forbund(self, row: Mapping[str, Any], fel: dict[str, list[str]]) -> Forbund | None:
        namn = Text().clean(row.get(FORBUND))
        if not namn:
            if self.flera_forbund():
                fel[FORBUND].append("Ange förbundets kortnamn eller namn.")
                return None
            return next(iter(self._tillatna.values()))
        forbund = next(
            (
                f
                for f in self._alla_forbund
                if _nyckel(namn) in {_nyckel(f.kortnamn), _nyckel(f.namn)}
            ),
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
            (i.forbund_id, _nyckel(i.namn)): i
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
        insats = self._insatser.get((rad.forbund.pk, _nyckel(namn)))
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
        ar = set()
        for varde in dataset[rubrik]:
            try:
                ar.add(int(float(str(varde).replace(",", ".").strip())))
            except ValueError:
                continue
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
        self._rad = rad
        return super().import_row(row, instance_loader, **kwargs)

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model()

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        """The values compared and audited, as plain JSON values."""
        return snapshot(instance, self.jamfor_falt)

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[models.Model, bool]:
        rad = self._rad
        assert rad is not None
        if rad.befintlig is not None:
            rad.fore = self.las_fore(rad.befintlig)
            return rad.befintlig, False
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

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        rad = self._rad
        assert rad is not None
        self.efter_sparad(instance, rad)
        andringar = diff(rad.fore, rad.efter)
        if rad.befintlig is None:
            andringar = {k: v for k, v in andringar.items() if v[1] not in (None, "", [], {})}
        self.logga(rad.forbund.pk, instance, andringar)

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        """Related rows (many-to-many, breakdowns) after the instance is saved."""

    def logga(self, forbund_id: int, instance: models.Model, changes: dict[str, Any]) -> _Logg:
        logg = _Logg(forbund_id, instance, changes)
        self._logg.append(logg)
        return logg

    # --- import: after the last row ---------------------------------------------------------

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        if result.invalid_rows:
            if self.radfel_som_filfel:
                raise ImportFel(self._sammanfattning(result))
            return
        if result.has_errors() or kwargs.get("dry_run"):
            return
        self.efter_import()
        self._skriv_logg()
        super().after_import(dataset, result, **kwargs)

    def efter_import(self) -> None:
        """Writes that need every row saved (e.g. one audit row per month for a breakdown)."""

    def _skriv_logg(self) -> None:
        user = self.user if getattr(self.user, "pk", None) else None
        kommentar = f"Importerad från {self._filnamn}" if self._filnamn else "Importerad från fil"
        typer: dict[type[models.Model], ContentType] = {}
        rader = []
        for logg in self._logg:
            modell = type(logg.instance)
            if modell not in typer:
                typer[modell] = ContentType.objects.get_for_model(modell, for_concrete_model=False)
            rader.append(
                AuditEntry(
                    forbund_id=logg.forbund_id,
                    user=user,
                    action=AuditEntry.Action.IMPORTERAD,
                    content_type=typer[modell],
                    object_id=str(logg.instance.pk),
                    object_repr=str(logg.instance)[:300],
                    changes=logg.changes,
                    kommentar=kommentar,
                )
            )
        AuditEntry.objects.bulk_create(rader, batch_size=500)
        self._logg = []

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


# --- Insatser ---------------------------------------------------------------------------------

_PRECISERAD = {
    Insats.Inriktning.INDIVID: {
        Insats.PreciseradInriktning.ARBETSLIVSINRIKTAD,
        Insats.PreciseradInriktning.FORBEREDANDE,
        Insats.PreciseradInriktning.IDENTIFIERA_BEHOV,
        Insats.PreciseradInriktning.FOREBYGGANDE,
    },
    Insats.Inriktning.STRUKTUR: {
        Insats.PreciseradInriktning.KOMPETENSHOJANDE,
        Insats.PreciseradInriktning.BEHOVSANALYS,
        Insats.PreciseradInriktning.UTVECKLA_SAMVERKAN,
    },
}


class InsatsResource(FinsamResource):
    """Insatser: namn, inriktning, grupp, period och attributen i Uppföljning Finsam."""

    namn = _kolumn("namn", "Namn", Text(kravs=True, max_langd=200))
    inriktning = _kolumn("inriktning", "Inriktning", Val(Insats.Inriktning.choices))
    grupp = _kolumn("grupp__namn", "Grupp", Text(max_langd=100))
    startdatum = _kolumn("startdatum", "Startdatum", Datum())
    slutdatum = _kolumn("slutdatum", "Slutdatum", Datum(kravs=False))
    preciserad_inriktning = _kolumn(
        "preciserad_inriktning",
        "Preciserad inriktning",
        Val(Insats.PreciseradInriktning.choices, kravs=False),
    )
    malgrupper = _kolumn("malgrupper", "Målgrupper", Namnlista())
    utforande_medlem = _kolumn("utforande_medlem__namn", "Utförande medlem")
    uppfoljning = _kolumn(
        "uppfoljning", "Uppföljning", Val(Insats.Uppfoljning.choices, kravs=False)
    )
    volymenhet = _kolumn("volymenhet", "Volymenhet", Val(Insats.Volymenhet.choices, kravs=False))
    esf_finansierad = _kolumn("esf_finansierad", "ESF-finansierad", JaNej())
    ordning = _kolumn("ordning", "Ordning", Heltal(kravs=False))
    forbund = _kolumn("forbund__kortnamn", FORBUND)

    obligatoriska = ("Namn", "Inriktning", "Grupp", "Startdatum", "Slutdatum")
    forbund_via = "forbund"
    nyckel_beskrivning = "namn"
    jamfor_falt = (
        "namn",
        "inriktning",
        "preciserad_inriktning",
        "grupp",
        "utforande_medlem",
        "startdatum",
        "slutdatum",
        "uppfoljning",
        "volymenhet",
        "esf_finansierad",
        "ordning",
    )
    # As in Uppföljning Finsam (and the admin): fixed once the insats exists.
    OFORANDERLIGA = ("inriktning", "uppfoljning", "volymenhet", "esf_finansierad")

    class Meta(FinsamResource.Meta):
        model = Insats
        fields = (
            "namn",
            "inriktning",
            "grupp",
            "startdatum",
            "slutdatum",
            "preciserad_inriktning",
            "malgrupper",
            "utforande_medlem",
            "uppfoljning",
            "volymenhet",
            "esf_finansierad",
            "ordning",
            "forbund",
        )
        import_order = export_order = fields
        import_id_fields = ("namn",)

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return (
            qs.select_related("forbund", "grupp", "utforande_medlem")
            .prefetch_related("malgrupper")
            .order_by("forbund__namn", "ordning", "namn")
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self._befintliga = {
            (i.forbund_id, _nyckel(i.namn)): i
            for i in Insats.objects.filter(forbund_id__in=self._tillatna)
            .select_related("grupp", "utforande_medlem")
            .prefetch_related("malgrupper")
        }
        self._grupper = {
            (g.forbund_id, _nyckel(g.namn)): g
            for g in Insatsgrupp.objects.filter(forbund_id__in=self._tillatna)
        }
        self._medlemmar = {
            (m.forbund_id, _nyckel(m.namn)): m
            for m in Medlem.objects.filter(forbund_id__in=self._tillatna)
        }
        self._malgrupper = {}
        for malgrupp in Malgrupp.objects.all():
            self._malgrupper[_nyckel(malgrupp.namn)] = malgrupp
            self._malgrupper[_nyckel(malgrupp.kod)] = malgrupp

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        namn = self.las(row, "namn", fel)
        if not namn:
            return
        rad.nyckel = (rad.forbund.pk, _nyckel(namn))
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        v = rad.varden
        v["namn"] = namn
        for falt in ("inriktning", "startdatum", "slutdatum"):
            v[falt] = self.las(row, falt, fel)
        for falt in ("preciserad_inriktning", "uppfoljning", "volymenhet", "esf_finansierad"):
            if self.har_kolumn(row, falt):
                v[falt] = self.las(row, falt, fel)
        if self.har_kolumn(row, "ordning"):
            v["ordning"] = self.las(row, "ordning", fel) or 0
        if v.get("uppfoljning") == "":
            if befintlig is not None:
                del v["uppfoljning"]  # an empty cell keeps what the insats has
            else:
                v["uppfoljning"] = Insats.Uppfoljning.DELTAGARFLODE

        gruppnamn = self.las(row, "grupp", fel)
        if gruppnamn:
            grupp = self._grupper.get((rad.forbund.pk, _nyckel(gruppnamn)))
            v["grupp"] = grupp
            if grupp is None:
                rad.extra["ny_grupp"] = gruppnamn
        elif gruppnamn == "":
            v["grupp"] = None
        if self.har_kolumn(row, "utforande_medlem"):
            medlemsnamn = self.las(row, "utforande_medlem", fel)
            v["utforande_medlem"] = None
            if medlemsnamn:
                medlem = self._medlemmar.get((rad.forbund.pk, _nyckel(medlemsnamn)))
                if medlem is None:
                    fel["Utförande medlem"].append(
                        f"Okänd medlem ”{medlemsnamn}” i {rad.forbund.namn}. Lägg till medlemmen "
                        "först, eller lämna fältet tomt om förbundet självt driver insatsen."
                    )
                v["utforande_medlem"] = medlem
        if self.har_kolumn(row, "malgrupper"):
            valda = []
            for malnamn in self.las(row, "malgrupper", fel) or []:
                malgrupp = self._malgrupper.get(_nyckel(malnamn))
                if malgrupp is None:
                    tillatna = ", ".join(
                        sorted({m.namn for m in self._malgrupper.values()}, key=_nyckel)
                    )
                    fel["Målgrupper"].append(
                        f"Okänd målgrupp ”{malnamn}”. Målgrupperna är: {tillatna}."
                    )
                else:
                    valda.append(malgrupp)
            rad.extra["malgrupper"] = valda

        # Rules of the model and the admin, with the effective values of the row.
        def effektiv(falt: str, standard: Any) -> Any:
            if falt in v:
                return v[falt]
            return getattr(befintlig, falt) if befintlig is not None else standard

        inriktning = effektiv("inriktning", None)
        uppfoljning = effektiv("uppfoljning", Insats.Uppfoljning.DELTAGARFLODE)
        volymenhet = effektiv("volymenhet", "")
        preciserad = effektiv("preciserad_inriktning", "")
        if befintlig is not None and not self.user.is_superuser:
            for falt in self.OFORANDERLIGA:
                if falt in v and v[falt] is not None and v[falt] != getattr(befintlig, falt):
                    fel[self.fields[falt].column_name].append(
                        f"Kan inte ändras för en insats som redan finns (som i Uppföljning "
                        f"Finsam): {befintlig.namn} är "
                        f"”{self.fields[falt].widget.render(getattr(befintlig, falt))}”."
                    )
        if uppfoljning == Insats.Uppfoljning.VOLYM and not volymenhet:
            fel["Volymenhet" if "volymenhet" in v else "Uppföljning"].append(
                "Ange volymenhet (Tillfällen, Deltagare eller Unika individer under året) för "
                "en volyminsats."
            )
        if uppfoljning == Insats.Uppfoljning.DELTAGARFLODE and volymenhet:
            fel["Volymenhet"].append(
                "Volymenhet anges bara för volyminsatser (Uppföljning: Volym)."
            )
        if inriktning and preciserad and preciserad not in _PRECISERAD.get(inriktning, set()):
            fel["Preciserad inriktning"].append(
                f"”{Insats.PreciseradInriktning(preciserad).label}” hör inte till inriktningen "
                f"{Insats.Inriktning(inriktning).label.lower()}."
            )
        start, slut = v.get("startdatum"), v.get("slutdatum")
        if start and slut and slut < start:
            fel["Slutdatum"].append(
                f"Slutdatum ({slut:%Y-%m-%d}) kan inte vara före startdatum ({start:%Y-%m-%d})."
            )

    def ny_instans(self, rad: Rad) -> Insats:
        return Insats(forbund=rad.forbund)

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        data = snapshot(instance, self.jamfor_falt)
        if instance.pk:
            data["malgrupper"] = ", ".join(m.namn for m in instance.malgrupper.all())
        return data

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if "ny_grupp" in rad.extra:
            instance.grupp = self._ny_grupp(rad.forbund, rad.extra["ny_grupp"])

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        rad = self._rad
        assert rad is not None
        if "malgrupper" in rad.extra:
            rad.efter["malgrupper"] = ", ".join(m.namn for m in rad.extra["malgrupper"])
        elif "malgrupper" in rad.fore:
            rad.efter["malgrupper"] = rad.fore["malgrupper"]

    def _ny_grupp(self, forbund: Forbund, namn: str) -> Insatsgrupp:
        nyckel = (forbund.pk, _nyckel(namn))
        if nyckel not in self._grupper:
            grupp = Insatsgrupp.objects.create(forbund=forbund, namn=namn)
            self._grupper[nyckel] = grupp
            self.logga(forbund.pk, grupp, {"namn": [None, namn]})
        return self._grupper[nyckel]

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        if "malgrupper" in rad.extra:
            instance.malgrupper.set(rad.extra["malgrupper"])


# --- Monthly figures --------------------------------------------------------------------------


def _manadsnamn(ar: int, manad: int) -> str:
    return f"{MANADER[manad]} {ar}"


def _last_text(insats: Insats, ar: int, manad: int) -> str:
    return (
        f"{insats.namn}, {_manadsnamn(ar, manad)} är godkänd och låst. Verksamhetsutvecklaren kan "
        "låsa upp månaden med en motivering."
    )


class _ManadBas(FinsamResource):
    """Shared by the monthly flow and the monthly volume: both are a Manadsrapport."""

    insats = _kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = _kolumn("ar", "År", _ar_widget())
    manad = _kolumn("manad", "Månad", _manad_widget())
    forbund = _kolumn("insats__forbund__kortnamn", FORBUND)

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
        ar = self.ar_i_filen(dataset, "År")
        self._befintliga = {
            (r.insats_id, r.ar, r.manad): r
            for r in self.med_insats(
                Manadsrapport.objects.filter(insats__forbund_id__in=self._tillatna, ar__in=ar)
            )
        }
        self._idag = self.idag or timezone.localdate()
        self._fordelning = {"avslut": {}, "nya_huvudman": {}}
        if not self.for_volym and self._befintliga:
            for namn, modell in (
                ("avslut", AvslutadePerAnledning),
                ("nya_huvudman", NyaPerHuvudman),
            ):
                self._fordelning[namn] = dict(
                    modell.objects.filter(
                        rapport__insats__forbund_id__in=self._tillatna, rapport__ar__in=ar
                    )
                    .values("rapport_id")
                    .annotate(summa=Sum("antal"))
                    .values_list("rapport_id", "summa")
                )
        self._rensa: dict[str, set[int]] = {"avslut": set(), "nya_huvudman": set()}

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        for falt in self.jamfor_falt:
            rad.varden[falt] = self.las(row, falt, fel)
        if insats is None or ar is None or manad is None:
            return
        rad.nyckel = (insats.pk, ar, manad)
        rad.extra["insats"] = insats
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        if insats.ar_volyminsats != self.for_volym:
            fel["Insats"].append(
                f"{insats.namn} följs upp med volym: importera den med volymdata "
                "(Insats;År;Månad;Volym)."
                if insats.ar_volyminsats
                else f"{insats.namn} följs upp med deltagarflöde: importera den med månadsdata "
                "(Insats;År;Månad;Nya kvinnor;Nya män;Avslutade kvinnor;Avslutade män)."
            )
        elif not manaden_har_slutat(ar, manad, self._idag):
            fel["Månad"].append(
                f"{_manadsnamn(ar, manad).capitalize()} är inte slut än. Månaden kan rapporteras "
                f"från och med {datum_svenskt(manadens_sista(ar, manad) + dt.timedelta(days=1))}."
            )
        elif not insats.aktiv_manad(ar, manad):
            fel["Månad"].append(f"{insats.namn} pågick inte under {_manadsnamn(ar, manad)}.")
        if befintlig is not None and befintlig.last and self._andrar(befintlig, rad):
            fel[HELA_RADEN].append(_last_text(insats, ar, manad))
        if befintlig is not None and not self.for_volym and not fel:
            self._markera_inaktuell_fordelning(rad, befintlig)

    @staticmethod
    def _andrar(befintlig: Manadsrapport, rad: Rad) -> bool:
        return any(getattr(befintlig, f) != v for f, v in rad.varden.items() if v is not None)

    def _markera_inaktuell_fordelning(self, rad: Rad, befintlig: Manadsrapport) -> None:
        """A changed total makes a breakdown that no longer adds up "ej angiven"."""
        v = rad.varden
        for namn, total in (
            ("avslut", v["avslutade_kvinnor"] + v["avslutade_man"]),
            ("nya_huvudman", v["nya_kvinnor"] + v["nya_man"]),
        ):
            summa = self._fordelning[namn].get(befintlig.pk)
            if summa and summa != total:
                rad.extra.setdefault("rensa", []).append(namn)

    def ny_instans(self, rad: Rad) -> Manadsrapport:
        insats = rad.extra["insats"]
        return Manadsrapport(insats=insats, ar=rad.nyckel[1], manad=rad.nyckel[2])

    def las_fore(self, instance: models.Model) -> dict[str, Any]:
        return {f: getattr(instance, f) for f in (*self.jamfor_falt, "status")}

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if instance.last:
            return
        mal = Status.GODKAND if self.godkand else Status.INSKICKAD
        user = self.user if getattr(self.user, "pk", None) else None
        if instance.status in (Status.UTKAST, Status.RETURNERAD):
            instance.inskickad_av, instance.inskickad_tid = user, self._nu
            instance.status = Status.INSKICKAD
        if mal == Status.GODKAND:
            instance.status = Status.GODKAND
            instance.godkand_av, instance.godkand_tid = user, self._nu
        if rad.befintlig is not None and diff(rad.fore, self.las_fore(instance)):
            instance.version += 1
            instance.andrad = self._nu

    def get_bulk_update_fields(self) -> list[str]:
        return [
            *self.jamfor_falt,
            "status",
            "version",
            "andrad",
            "inskickad_av",
            "inskickad_tid",
            "godkand_av",
            "godkand_tid",
        ]

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        for namn in rad.extra.get("rensa", []):
            self._rensa[namn].add(instance.pk)

    def efter_import(self) -> None:
        for namn, modell, nyckel in (
            ("avslut", AvslutadePerAnledning, "anledning__namn"),
            ("nya_huvudman", NyaPerHuvudman, "huvudman__namn"),
        ):
            if not self._rensa[namn]:
                continue
            gamla: dict[int, dict[str, int]] = defaultdict(dict)
            rader = modell.objects.filter(rapport_id__in=self._rensa[namn])
            for rapport_id, etikett, antal in rader.values_list("rapport_id", nyckel, "antal"):
                gamla[rapport_id][etikett] = antal
            rader.delete()
            for logg in self._logg:
                if logg.instance.pk in gamla:
                    logg.changes[namn] = [gamla[logg.instance.pk], {}]


class ManadsdataResource(_ManadBas):
    """Månadsdata: nya och avslutade kvinnor och män per insats och månad."""

    nya_kvinnor = _kolumn("nya_kvinnor", "Nya kvinnor", Heltal())
    nya_man = _kolumn("nya_man", "Nya män", Heltal())
    avslutade_kvinnor = _kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal())
    avslutade_man = _kolumn("avslutade_man", "Avslutade män", Heltal())

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

    class Meta(_ManadBas.Meta):
        fields = ("insats", "ar", "manad", *FLODESFALT, "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")


class VolymdataResource(_ManadBas):
    """Volymdata: volymen per volyminsats och månad, i insatsens enhet."""

    volym = _kolumn("volym", "Volym", Heltal())

    obligatoriska = ("Insats", "År", "Månad", "Volym")
    jamfor_falt = ("volym",)
    for_volym = True

    class Meta(_ManadBas.Meta):
        fields = ("insats", "ar", "manad", "volym", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad")


# --- Breakdowns of a month --------------------------------------------------------------------


class _FordelningBas(FinsamResource):
    """A month's total split by a key (avslutsanledning, huvudman). Rows match on insats + år +
    månad + key; Antal 0 removes a row. The month's rows must add up to its total."""

    insats = _kolumn("rapport__insats__namn", "Insats", Text(kravs=True))
    ar = _kolumn("rapport__ar", "År", _ar_widget())
    manad = _kolumn("rapport__manad", "Månad", _manad_widget())
    antal = _kolumn("antal", "Antal", Heltal())
    forbund = _kolumn("rapport__insats__forbund__kortnamn", FORBUND)

    forbund_via = "rapport__insats__forbund"
    jamfor_falt = ("antal",)
    relation: ClassVar[str] = ""  # "anledning" or "huvudman"
    relation_kolumn: ClassVar[str] = ""
    audit_nyckel: ClassVar[str] = ""  # the Manadsrapport's audit key: "avslut" / "nya_huvudman"
    total_falt: ClassVar[tuple[str, str]] = ("", "")
    vad: ClassVar[str] = ""  # "avslutade" / "nya"

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("rapport__insats__forbund", self.relation).order_by(
            "rapport__insats__forbund__namn",
            "rapport__insats__ordning",
            "rapport__insats__namn",
            "rapport__ar",
            "rapport__manad",
            f"{self.relation}__ordning",
            f"{self.relation}__namn",
        )

    def nycklar(self) -> dict[int, dict[str, Any]]:
        """Per insats: the valid keys by name."""
        raise NotImplementedError

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        ar = self.ar_i_filen(dataset, "År")
        self._rapporter = {
            (r.insats_id, r.ar, r.manad): r
            for r in Manadsrapport.objects.filter(
                insats__forbund_id__in=self._tillatna, ar__in=ar
            ).select_related("insats")
        }
        self._befintliga: dict[tuple[int, int], Any] = {}
        self._fore: dict[int, dict[str, int]] = defaultdict(dict)
        for obj in self._meta.model.objects.filter(
            rapport__in=self._rapporter.values()
        ).select_related(self.relation):
            self._befintliga[(obj.rapport_id, getattr(obj, f"{self.relation}_id"))] = obj
            self._fore[obj.rapport_id][getattr(obj, self.relation).namn] = obj.antal
        self._nycklar = self.nycklar()
        self._andrade: set[int] = set()

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar, manad = self.las(row, "ar", fel), self.las(row, "manad", fel)
        namn = self.las(row, self.relation, fel)
        antal = rad.varden["antal"] = self.las(row, "antal", fel)
        if insats is None or ar is None or manad is None or not namn:
            return
        if insats.ar_volyminsats:
            fel["Insats"].append(f"{insats.namn} följs upp med volym och har inget deltagarflöde.")
            return
        rapport = self._rapporter.get((insats.pk, ar, manad))
        if rapport is None:
            fel[HELA_RADEN].append(
                f"Det finns inga månadssiffror för {insats.namn}, {_manadsnamn(ar, manad)}. "
                "Importera månadsdata först."
            )
            return
        giltiga = self._nycklar.get(insats.pk, {})
        objekt = giltiga.get(_nyckel(namn))
        if objekt is None:
            fel[self.relation_kolumn].append(self.okand_text(namn, insats, giltiga))
            return
        rad.nyckel = (rapport.pk, objekt.pk)
        rad.extra.update(rapport=rapport, objekt=objekt)
        befintlig = rad.befintlig = self._befintliga.get(rad.nyckel)
        if rapport.last and antal is not None and antal != (befintlig.antal if befintlig else 0):
            fel[HELA_RADEN].append(_last_text(insats, ar, manad))

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def kontrollera_helheten(self) -> None:
        per_rapport: dict[int, list[Rad]] = defaultdict(list)
        for rad in self.giltiga_rader():
            per_rapport[rad.nyckel[0]].append(rad)
        for rader in per_rapport.values():
            rapport = rader[0].extra["rapport"]
            resultat = dict(self._fore.get(rapport.pk, {}))
            for rad in rader:
                resultat[rad.extra["objekt"].namn] = rad.varden["antal"]
            summa = sum(resultat.values())
            total = sum(getattr(rapport, f) for f in self.total_falt)
            if summa and summa != total:
                text = (
                    f"Fördelningen per {self.relation_kolumn.lower()} för {rapport.insats.namn}, "
                    f"{_manadsnamn(rapport.ar, rapport.manad)} blir {summa}, men antalet "
                    f"{self.vad} är {total}."
                )
                for rad in rader:
                    self.fel_pa(rad, "Antal", text)

    def for_delete(self, row: Any, instance: Any) -> bool:
        return self._rad is not None and self._rad.varden.get("antal") == 0

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(
            rapport=rad.extra["rapport"], **{self.relation: rad.extra["objekt"]}
        )

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        # Audited per month on the Manadsrapport (as when the month is edited): efter_import.
        if self._rad is not None:
            self._andrade.add(self._rad.extra["rapport"].pk)

    def after_delete_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.after_save_instance(instance, row, **kwargs)

    def efter_import(self) -> None:
        if not self._andrade:
            return
        efter: dict[int, dict[str, int]] = defaultdict(dict)
        for rapport_id, namn, antal in self._meta.model.objects.filter(
            rapport_id__in=self._andrade
        ).values_list("rapport_id", f"{self.relation}__namn", "antal"):
            efter[rapport_id][namn] = antal
        rapporter = {r.pk: r for r in self._rapporter.values() if r.pk in self._andrade}
        Manadsrapport.objects.filter(pk__in=self._andrade).update(
            version=F("version") + 1, andrad=self._nu
        )
        for pk, rapport in rapporter.items():
            fore, nu = self._fore.get(pk, {}), efter.get(pk, {})
            if fore != nu:
                self.logga(rapport.insats.forbund_id, rapport, {self.audit_nyckel: [fore, nu]})


class AvslutadePerAnledningResource(_FordelningBas):
    """Avslutade per avslutsanledning och månad (valfri: utan den visas de som ej angiven)."""

    anledning = _kolumn("anledning__namn", "Avslutsanledning", Text(kravs=True))

    obligatoriska = ("Insats", "År", "Månad", "Avslutsanledning", "Antal")
    nyckel_beskrivning = "insats, år, månad och avslutsanledning"
    relation, relation_kolumn, audit_nyckel = "anledning", "Avslutsanledning", "avslut"
    total_falt, vad = ("avslutade_kvinnor", "avslutade_man"), "avslutade"

    class Meta(_FordelningBas.Meta):
        model = AvslutadePerAnledning
        fields = ("insats", "ar", "manad", "anledning", "antal", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad", "anledning")

    def nycklar(self) -> dict[int, dict[str, Any]]:
        result: dict[int, dict[str, Any]] = defaultdict(dict)
        for rad in Avslutsanledning.insatser.through.objects.filter(
            insats__forbund_id__in=self._tillatna
        ).select_related("avslutsanledning"):
            result[rad.insats_id][_nyckel(rad.avslutsanledning.namn)] = rad.avslutsanledning
        return result

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        if not giltiga:
            return f"{insats.namn} har inga avslutsanledningar. Välj dem för insatsen först."
        namnen = ", ".join(
            a.namn for a in sorted(giltiga.values(), key=lambda a: (a.ordning, a.namn))
        )
        return f"Okänd avslutsanledning ”{namn}” för {insats.namn}. Insatsen använder: {namnen}."


class NyaPerHuvudmanResource(_FordelningBas):
    """Nya per huvudman och månad (valfri: utan den visas de som ej angiven)."""

    huvudman = _kolumn("huvudman__namn", "Huvudman", Text(kravs=True))

    obligatoriska = ("Insats", "År", "Månad", "Huvudman", "Antal")
    nyckel_beskrivning = "insats, år, månad och huvudman"
    relation, relation_kolumn, audit_nyckel = "huvudman", "Huvudman", "nya_huvudman"
    total_falt, vad = ("nya_kvinnor", "nya_man"), "nya"

    class Meta(_FordelningBas.Meta):
        model = NyaPerHuvudman
        fields = ("insats", "ar", "manad", "huvudman", "antal", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar", "manad", "huvudman")

    def nycklar(self) -> dict[int, dict[str, Any]]:
        per_forbund: dict[int, dict[str, Huvudman]] = defaultdict(dict)
        for huvudman in Huvudman.objects.filter(forbund_id__in=self._tillatna):
            per_forbund[huvudman.forbund_id][_nyckel(huvudman.namn)] = huvudman
        return {i.pk: per_forbund[i.forbund_id] for i in self._insatser.values()}

    def okand_text(self, namn: str, insats: Insats, giltiga: Mapping[str, Any]) -> str:
        namnen = ", ".join(
            h.namn for h in sorted(giltiga.values(), key=lambda h: (h.ordning, h.namn))
        )
        return (
            f"Okänd huvudman ”{namn}” i {insats.forbund.namn}. Huvudmännen är: {namnen or 'inga'}."
        )


# --- Per insats and year ----------------------------------------------------------------------


class _InsatsArBas(FinsamResource):
    insats = _kolumn("insats__namn", "Insats", Text(kravs=True))
    ar = _kolumn("ar", "År", _ar_widget())
    forbund = _kolumn("insats__forbund__kortnamn", FORBUND)

    nyckel_beskrivning = "insats och år"

    def export_urval(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.select_related("insats__forbund").order_by(
            "insats__forbund__namn", "insats__ordning", "insats__namn", "ar"
        )

    def forbered(self, dataset: tablib.Dataset) -> None:
        self.hamta_insatser()
        self._befintliga = {
            (o.insats_id, o.ar): o
            for o in self.med_insats(
                self._meta.model.objects.filter(insats__forbund_id__in=self._tillatna)
            )
        }

    def tolka(self, row: Mapping[str, Any], rad: Rad, fel: dict[str, list[str]]) -> None:
        insats = self.las_insats(row, rad, fel)
        ar = self.las(row, "ar", fel)
        for namn in self.varde_falt(row):
            rad.varden[namn] = self.las(row, namn, fel)
        if insats is None or ar is None:
            return
        rad.nyckel = (insats.pk, ar)
        rad.extra["insats"] = insats
        rad.befintlig = self._befintliga.get(rad.nyckel)
        self.regler(insats, ar, rad, fel)

    def varde_falt(self, row: Mapping[str, Any]) -> list[str]:
        """The value fields the row sets: required ones, and optional ones it has a column for."""
        return [f for f in self.jamfor_falt if self.har_kolumn(row, f)]

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        """Rules for one row."""

    def ny_instans(self, rad: Rad) -> models.Model:
        return self._meta.model(insats=rad.extra["insats"], ar=rad.nyckel[1])


class IngaendeBalansResource(_InsatsArBas):
    """Ingående balans: deltagare inskrivna 1 januari, kvinnor och män."""

    kvinnor = _kolumn("kvinnor", "Kvinnor", Heltal())
    man = _kolumn("man", "Män", Heltal())
    anledning = _kolumn("anledning", "Anledning", Text())

    obligatoriska = ("Insats", "År", "Kvinnor", "Män")
    jamfor_falt = ("kvinnor", "man", "anledning")

    class Meta(_InsatsArBas.Meta):
        model = IngaendeBalans
        fields = ("insats", "ar", "kvinnor", "man", "anledning", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        from registrering.services import ingaende_balans_forslag

        v = rad.varden
        if insats.ar_volyminsats:
            fel["Insats"].append(
                f"{insats.namn} följs upp med volym och har ingen ingående balans."
            )
            return
        if not insats.aktiv_under(ar):
            fel["År"].append(f"{insats.namn} pågick inte under {ar}.")
            return
        if v["kvinnor"] is None or v["man"] is None:
            return
        befintlig = rad.befintlig
        if befintlig is not None and (befintlig.kvinnor, befintlig.man) == (v["kvinnor"], v["man"]):
            return
        # As in the browser: a balance that differs from last December's closing balance is
        # recorded as a justering there, with a reason, so that the difference stays visible.
        forslag = ingaende_balans_forslag(insats=insats, ar=ar)
        skillnad = (v["kvinnor"] - forslag.kon.kvinnor, v["man"] - forslag.kon.man)
        if forslag.har_tidigare_flode and skillnad != (0, 0):
            if not v.get("anledning"):
                fel["Anledning" if "anledning" in v else HELA_RADEN].append(
                    f"Balansen skiljer sig från förra årets utgående ({forslag.kon.kvinnor} "
                    f"kvinnor, {forslag.kon.man} män). Ange anledningen i kolumnen Anledning."
                )
            else:
                rad.extra["justering"] = skillnad

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        if rad.befintlig is None or diff(rad.fore, snapshot(instance, self.jamfor_falt)):
            instance.bekraftad_av = self.user if getattr(self.user, "pk", None) else None
            instance.bekraftad_tid = self._nu

    def efter_sparad(self, instance: Any, rad: Rad) -> None:
        if "justering" in rad.extra:
            kvinnor, man = rad.extra["justering"]
            justering = Justering.objects.create(
                insats=instance.insats,
                ar=instance.ar - 1,
                manad=12,
                kvinnor=kvinnor,
                man=man,
                anledning=f"Ingående balans 1/1 {instance.ar}: {instance.anledning}",
                skapad_av=self.user if getattr(self.user, "pk", None) else None,
            )
            self.logga(rad.forbund.pk, justering, diff({}, snapshot(justering)))
        # A breakdown by huvudman that no longer adds up becomes "ej angiven".
        per_huvudman = list(instance.per_huvudman.select_related("huvudman"))
        if per_huvudman and sum(r.antal for r in per_huvudman) != instance.totalt:
            rad.efter["per_huvudman"] = {}
            rad.fore["per_huvudman"] = {r.huvudman.namn: r.antal for r in per_huvudman}
            instance.per_huvudman.all().delete()


class ArstotalResource(_InsatsArBas):
    """Årstotaler före systemet: deltagare, nya och avslutade per år (från SUS m.fl.)."""

    deltagare_kvinnor = _kolumn("deltagare_kvinnor", "Deltagare kvinnor", Heltal())
    deltagare_man = _kolumn("deltagare_man", "Deltagare män", Heltal())
    nya_kvinnor = _kolumn("nya_kvinnor", "Nya kvinnor", Heltal())
    nya_man = _kolumn("nya_man", "Nya män", Heltal())
    avslutade_kvinnor = _kolumn("avslutade_kvinnor", "Avslutade kvinnor", Heltal())
    avslutade_man = _kolumn("avslutade_man", "Avslutade män", Heltal())
    volym = _kolumn("volym", "Volym", Heltal(kravs=False))
    kalla = _kolumn("kalla", "Källa", Text(max_langd=100))

    obligatoriska = ("Insats", "År", "Deltagare kvinnor", "Deltagare män")
    jamfor_falt = (
        "deltagare_kvinnor",
        "deltagare_man",
        "nya_kvinnor",
        "nya_man",
        "avslutade_kvinnor",
        "avslutade_man",
        "volym",
        "kalla",
    )

    class Meta(_InsatsArBas.Meta):
        model = Arstotal
        fields = (
            "insats",
            "ar",
            "deltagare_kvinnor",
            "deltagare_man",
            "nya_kvinnor",
            "nya_man",
            "avslutade_kvinnor",
            "avslutade_man",
            "volym",
            "kalla",
            "forbund",
        )
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")

    def regler(self, insats: Insats, ar: int, rad: Rad, fel: dict[str, list[str]]) -> None:
        v = rad.varden
        if rad.befintlig is None:
            for falt in ("nya_kvinnor", "nya_man", "avslutade_kvinnor", "avslutade_man"):
                if v.get(falt) is None and falt not in v:
                    v[falt] = 0
            if not v.get("kalla"):
                v["kalla"] = "Import"
        elif "kalla" in v and not v["kalla"]:
            fel["Källa"].append("Ange källan, t.ex. SUS eller Uppföljning Finsam.")
        for kon, etikett in (("kvinnor", "kvinnor"), ("man", "män")):
            deltagare = v.get(f"deltagare_{kon}")
            for vad in ("nya", "avslutade"):
                antal = v.get(f"{vad}_{kon}")
                if deltagare is not None and antal is not None and antal > deltagare:
                    fel[f"{vad.capitalize()} {etikett}"].append(
                        f"Fler {vad} {etikett} ({antal}) än deltagare {etikett} ({deltagare})."
                    )


class BudgeteradVolymResource(_InsatsArBas):
    """Budgeterad volym: målet per insats och år (verksamhetsplanen)."""

    volym = _kolumn("volym", "Budgeterad volym", Heltal())

    obligatoriska = ("Insats", "År", "Budgeterad volym")
    jamfor_falt = ("volym",)

    class Meta(_InsatsArBas.Meta):
        model = BudgeteradVolym
        fields = ("insats", "ar", "volym", "forbund")
        import_order = export_order = fields
        import_id_fields = ("insats", "ar")


# --- Surveys ----------------------------------------------------------------------------------


class EnkatsvarResource(FinsamResource):
    """Enkätsvar: antal svar per tillfälle, fråga och svarsalternativ."""

    tillfalle = _kolumn("tillfalle__namn", "Tillfälle", Text(kravs=True, max_langd=200))
    datum = _kolumn("tillfalle__datum", "Datum", Datum())
    fraga = _kolumn("alternativ__fraga__text", "Fråga", Text(kravs=True))
    alternativ = _kolumn("alternativ__text", "Svarsalternativ", Text(kravs=True))
    antal = _kolumn("antal", "Antal", Heltal())
    insats = _kolumn("tillfalle__insats__namn", "Insats")
    forbund = _kolumn("tillfalle__forbund__kortnamn", FORBUND)

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
            (f.forbund_id, _nyckel(f.text)): f
            for f in Enkatfraga.objects.filter(forbund_id__in=self._tillatna)
        }
        self._alternativ: dict[int, dict[str, Svarsalternativ]] = defaultdict(dict)
        for alt in Svarsalternativ.objects.filter(fraga__forbund_id__in=self._tillatna):
            self._alternativ[alt.fraga_id][_nyckel(alt.text)] = alt
        self._tillfallen = {
            (t.forbund_id, _nyckel(t.namn), t.datum): t
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
        fraga = self._fragor.get((rad.forbund.pk, _nyckel(fragetext)))
        if fraga is None:
            fel["Fråga"].append(
                f"Okänd enkätfråga ”{fragetext}” i {rad.forbund.namn}. Lägg till frågan först."
            )
            return
        alt = self._alternativ[fraga.pk].get(_nyckel(alttext)) if alttext else None
        if alttext and alt is None:
            namnen = ", ".join(
                a.text for a in sorted(self._alternativ[fraga.pk].values(), key=lambda a: a.ordning)
            )
            fel["Svarsalternativ"].append(
                f"Okänt svarsalternativ ”{alttext}” för frågan. Alternativen är: {namnen}."
            )
        if not namn or datum is None or alt is None:
            return
        tillfallesnyckel = (rad.forbund.pk, _nyckel(namn), datum)
        rad.nyckel = (*tillfallesnyckel, alt.pk)
        rad.extra.update(tillfalle=(tillfallesnyckel, namn), alternativ=alt)
        tillfalle = self._tillfallen.get(tillfallesnyckel)
        if tillfalle is not None:
            rad.befintlig = self._befintliga.get((tillfalle.pk, alt.pk))

    def ny_instans(self, rad: Rad) -> Enkatsvar:
        return Enkatsvar(alternativ=rad.extra["alternativ"])

    def efter_varden(self, instance: Any, rad: Rad, kwargs: Mapping[str, Any]) -> None:
        nyckel, namn = rad.extra["tillfalle"]
        tillfalle = self._tillfallen.get(nyckel)
        insats = rad.extra.get("insats")
        if tillfalle is None:
            tillfalle = Enkattillfalle.objects.create(
                forbund=rad.forbund, namn=namn, datum=nyckel[2], insats=insats
            )
            self._tillfallen[nyckel] = tillfalle
            self.logga(
                rad.forbund.pk,
                tillfalle,
                diff({}, {k: v for k, v in snapshot(tillfalle).items() if v is not None}),
            )
        elif insats is not None and tillfalle.insats_id != insats.pk:
            fore = snapshot(tillfalle, ["insats"])
            tillfalle.insats = insats
            tillfalle.save(update_fields=["insats"])
            self.logga(rad.forbund.pk, tillfalle, diff(fore, snapshot(tillfalle, ["insats"])))
        instance.tillfalle = tillfalle


#: Every resource, in the order a new förbund imports them (later ones refer to earlier ones).
RESURSER: tuple[type[FinsamResource], ...] = (
    InsatsResource,
    IngaendeBalansResource,
    ManadsdataResource,
    AvslutadePerAnledningResource,
    NyaPerHuvudmanResource,
    VolymdataResource,
    ArstotalResource,
    BudgeteradVolymResource,
    EnkatsvarResource,
)
