"""Template helpers: fields that tell assistive technology about their help and errors, and
Swedish number formatting."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from registrering import regler
from registrering.kalender import MANADER, datum_svenskt

register = template.Library()


@register.simple_tag
def widget_med_aria(field: BoundField) -> SafeString:
    """Render the widget with aria-describedby (help, errors) and aria-invalid."""
    ids = []
    if field.help_text:
        ids.append(f"{field.id_for_label}-hjalp")
    ids += [f"{field.id_for_label}-fel{i}" for i in range(1, len(field.errors) + 1)]
    attrs: dict[str, Any] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def tal(value: Any) -> str:
    """1873 -> '1 873' (non-breaking space); None -> '–'."""
    if value is None or value == "":
        return "–"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return regler.tal(number)


@register.filter
def med_tecken(value: int) -> str:
    """+2 / −1 / 0 for a justering."""
    if value > 0:
        return f"+{value}"
    return f"−{abs(value)}" if value < 0 else "0"


@register.filter
def manadsnamn(value: int) -> str:
    return MANADER.get(int(value), str(value))


@register.filter
def datum(value: Any) -> str:
    if not value:
        return "–"
    if hasattr(value, "date") and callable(value.date):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return datum_svenskt(value)


@register.filter
def datumtid(value: Any) -> str:
    if not value:
        return "–"
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{datum_svenskt(local.date())} {local:%H:%M}"


@register.filter
def get_item(container: Any, key: Any) -> Any:
    """container[key] for a dict (also with a numeric string key) or a sequence; else None."""
    if isinstance(container, dict):
        if key in container:
            return container[key]
        return container.get(int(key)) if str(key).isdigit() else None
    try:
        return container[int(key)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def ar(value: Any) -> str:
    """A year without thousand separator: 2026, never '2 026'."""
    return str(value)


@register.filter
def st(value: Any) -> str:
    """'43 st', as the bilaga counts."""
    return f"{tal(value)}\xa0st"


@register.filter
def procent(value: Any) -> str:
    return "–" if value is None else f"{value}\xa0%"


@register.filter
def kommentar(rapport: Any, avsnitt: str) -> str:
    return rapport.kommentar(avsnitt)


@register.filter
def enkatdiagram(diagram: Any, index: int) -> Any:
    """The survey charts are the last ones, in the order of the questions."""
    enkater = [d for d in diagram if d.typ == "enkat"]
    return enkater[index] if index < len(enkater) else None


@register.filter
def decimal1(value: Any) -> str:
    """48.1 -> '48,1'."""
    return f"{value:.1f}".replace(".", ",")


@register.filter
def sub(value: Any, other: Any) -> Any:
    return value - other


@register.filter
def av_typ(diagram: Any, typ: str) -> list[Any]:
    """The charts of one kind (a section's charts), in their order."""
    return [d for d in diagram if d.typ == typ]


def _tabellkroppar(rader: Any, *, skarm: bool, utskrift: bool) -> tuple[str, str]:
    """A chart's table body on screen (a header cell and number cells per row) and in its
    printed copy (a `<td>` per cell), the ones asked for, each cell escaped once for both: the
    cells are plain text, escaped like the template would."""
    from html import escape

    pa_skarm, utskriven = [], []
    for rad in rader:
        celler = [escape(str(cell), quote=True) for cell in rad]
        if utskrift:
            utskriven.append("<tr>" + "".join(f"<td>{c}</td>" for c in celler) + "</tr>")
        if skarm and celler:
            pa_skarm.append(
                f'<tr><th scope="row">{celler[0]}</th>'
                + "".join(f'<td class="tal">{c}</td>' for c in celler[1:])
                + "</tr>"
            )
    return "".join(pa_skarm), "".join(utskriven)


@register.filter
def tabellrader(rader: Any, utskrift: str = "") -> SafeString:
    """A chart's table body: each row a header cell and number cells, escaped, built in one go
    (the survey results page has hundreds of such rows; the nested template loops were most of
    its time). `tabellrader:"utskrift"` gives the printed copy's plain cells (`<td>` each, the
    first one too)."""
    skarm, utskriven = _tabellkroppar(rader, skarm=not utskrift, utskrift=bool(utskrift))
    return SafeString(utskriven if utskrift else skarm)


@register.filter
def tabellkroppar(rader: Any) -> tuple[SafeString, SafeString]:
    """Both of `tabellrader`'s bodies, on screen and printed, with each cell escaped once for
    the two (the report's charts per insats have 300 rows each, issue 15)."""
    skarm, utskriven = _tabellkroppar(rader, skarm=True, utskrift=True)
    return SafeString(skarm), SafeString(utskriven)
