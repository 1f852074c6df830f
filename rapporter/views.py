"""Pages that show computed figures: the bilaga's texts and comments, the goal page. (The
bilaga's page, charts and PDF are in `rapporter.bilagevyer`.)

Also what other reports' pages share with the bilaga's: `pdf_svar` (a PDF built in the background
and its waiting page), `ladda_ned` and `svg_policy`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, cast

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapporter import bakgrund, bilagetexter, lagring, pdf, sidcache
from rapporter import diagram as d
from rapporter.forms import KommentarForm, TexterForm, UtfallForm
from registrering import permissions, services
from registrering.kalender import MANADER
from registrering.models import Arsbilaga, Forbund, Insats, Kommentar, Kostnadspost, Utfall
from registrering.templatetags.finsam import tal

# How often the waiting page asks whether the PDF is built.
VANTA_SEKUNDER = 2
# A drawn chart is kept this long under its data version (a new version is a new key).
DIAGRAM_TIMEOUT = 60 * 60 * 24 * 30


@require_GET
@permissions.ser_rapporter
def mal(request: HttpRequest, forbund: Forbund, ar: int | None = None) -> HttpResponse:
    """The styrelse's goal page: read-only for every role. Its content is kept by data version
    (`rapporter.sidcache`)."""
    ar = ar or timezone.localdate().year
    redigera = permissions.kan_administrera(request.user, forbund)
    innehall = sidcache.innehall("mal", forbund, ar, redigera=redigera)
    return render(request, "rapporter/mal.html", {"ar": ar, "innehall": innehall})


@require_GET
@permissions.ser_rapporter
def index(request: HttpRequest, forbund: Forbund) -> HttpResponse:
    """The latest complete year's bilaga: last year, the one the board and the annual report
    want; this year, still preliminary, is one click away in the page's year list. A förbund
    that started this year has only this year."""
    ar = timezone.localdate().year
    if Insats.objects.filter(forbund=forbund).aktiva_under(ar - 1).exists():
        ar -= 1
    return redirect("rapporter:arsrapport", ar=ar)


_Vy = TypeVar("_Vy", bound=Callable[..., HttpResponse])


def svg_policy(vy: _Vy) -> _Vy:
    """Opened on its own (not as an <img>), a chart is a document of its own, coloured by
    matplotlib's inline styles. Its Content-Security-Policy allows those styles and nothing
    else: no script, no request, no frame. (django-csp types its decorators for views that
    take only the request.)"""
    policy = {"default-src": [NONE], "style-src": [UNSAFE_INLINE], "frame-ancestors": [NONE]}
    return cast(_Vy, csp(policy)(cast(Any, vy)))


_HASH = re.compile(r"[0-9a-f]{8,64}")


def diagram_svar(namn: str, hash_: str, hitta: Callable[[], d.Diagram | None]) -> HttpResponse:
    """A chart as SVG by the hash of what it shows (the bilaga's, the goal page's, the joint
    report's): the file stored as `namn`, else the chart `hitta` finds (None: 404) drawn and
    stored. The same address always shows the same chart, so the browser may keep it."""
    if not _HASH.fullmatch(hash_):
        raise Http404("Diagrammet finns inte.")
    svg = lagring.las(namn)
    if svg is None:
        valt = hitta()
        if valt is None:
            raise Http404("Diagrammet finns inte.")
        svg = d.rendera(valt, "svg")
        lagring.spara_fil(namn, svg)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@dataclass(frozen=True)
class Bygge:
    """What the waiting page says about the PDF it waits for."""

    adress: str  # the PDF's own address: asked again, and the download
    namn: str  # what is built, as a sentence begins: "Bilagan"
    rapport: str  # the report it is part of, in the title and the link back: "Indikatorer 2024"
    sida: str  # the report page's address
    ar: int


def pdf_svar(
    request: HttpRequest,
    bygge: Bygge,
    *,
    fardig: Callable[[], pdf.Export | None],
    forbered: Callable[[bool], bakgrund.Lage],
) -> HttpResponse:
    """A PDF built in the background (`rapporter.bakgrund`) and stored (`rapporter.lagring`),
    given to the user at its own address: the PDF when `fardig()` finds it; else `forbered`
    starts its build (once, however many ask; `forbered(True)` retries a failed one) and a page
    says in words how it goes and asks again by itself (`vantesida`). `?igen` retries a failed
    build; `?vantat` is the waiting page asking, answered with a page that starts the download."""
    export = fardig()
    lage = None if export else forbered("igen" in request.GET)
    if lage and lage.tillstand == bakgrund.KLAR:
        export = fardig()  # built in the request (tests) or just now
    if export is None or "vantat" in request.GET:
        return vantesida(request, bygge, lage, export)
    return ladda_ned(export)


def ladda_ned(export: pdf.Export) -> HttpResponse:
    """The export as a download, never kept by a shared cache."""
    response = HttpResponse(export.innehall, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filnamn}"'
    response["Cache-Control"] = "private, no-store"
    return response


def vantesida(
    request: HttpRequest,
    bygge: Bygge,
    lage: bakgrund.Lage | None,
    export: pdf.Export | None,
    *,
    foregaende: Any = None,
) -> HttpResponse:
    """The page shown while the PDF is built (asking again by itself, with or without
    JavaScript), when it failed (status 500, "Försök igen"), or when it is ready (`?vantat`).
    `foregaende`: an earlier build (with `klar`, its time) that `?foregaende` hands out."""
    tillstand = bakgrund.KLAR if export else (lage.tillstand if lage else bakgrund.KO)
    typisk = round(lage.typisk) if lage and lage.typisk else None
    response = render(
        request,
        "rapporter/bygger.html",
        {
            "b": bygge,
            "tillstand": tillstand,
            "sekunder": lage.sekunder if lage else 0,
            "typisk": typisk,
            "sen": bool(lage and typisk and lage.sekunder > 2 * typisk + 5),
            "filnamn": export.filnamn if export else "",
            "fraga": f"{bygge.adress}?vantat=1",
            "igen": f"{bygge.adress}?igen=1",
            "intervall": VANTA_SEKUNDER,
            "foregaende": foregaende,
            "foregaende_adress": f"{bygge.adress}?foregaende=1",
        },
        status=500 if tillstand == bakgrund.FEL else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def kommentar(request: HttpRequest, forbund: Forbund, ar: int, avsnitt: str) -> HttpResponse:
    if avsnitt not in Kommentar.Avsnitt.values:
        raise Http404("Okänt avsnitt.")
    befintlig = Kommentar.objects.filter(forbund=forbund, ar=ar, avsnitt=avsnitt).first()
    if request.method == "POST":
        form = KommentarForm(request.POST)
        if form.is_valid():
            services.kommentar_spara(
                user=permissions.inloggad(request),
                forbund=forbund,
                ar=ar,
                avsnitt=avsnitt,
                text=form.cleaned_data["text"],
            )
            messages.success(request, "Kommentaren är sparad.")
            return redirect(f"/rapporter/{ar}/#{_ankare(avsnitt)}")
    else:
        form = KommentarForm(initial={"text": befintlig.text if befintlig else ""})
    return render(
        request,
        "rapporter/kommentar.html",
        {"form": form, "ar": ar, "avsnitt": Kommentar.Avsnitt(avsnitt).label},
        status=400 if form.errors else 200,
    )


def _ankare(avsnitt: str) -> str:
    return {
        "over_tid": "over-tid",
        "volym": "volym",
        "deltagarflode": "flode",
        "per_insats": "per-insats",
        "huvudman": "huvudman",
        "kon": "kon",
        "isa": "avslutsanledning",
        "avslutsanledning": "avslutsanledning",
        "struktur": "struktur",
    }.get(avsnitt, "")


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def texter(request: HttpRequest, forbund: Forbund, ar: int) -> HttpResponse:
    """Bakgrund and Metod with their named inserts (`rapporter.bilagetexter`) and a preview of
    the year's text: live in the browser, and on the server with "Förhandsgranska", which
    saves nothing."""
    bilaga = Arsbilaga.objects.filter(forbund=forbund, ar=ar).first()
    if request.method == "POST":
        form = TexterForm(request.POST)
        if form.is_valid() and "forhandsgranska" not in request.POST:
            try:
                services.bilagetexter_spara(
                    user=permissions.inloggad(request), forbund=forbund, ar=ar, **form.cleaned_data
                )
                messages.success(request, "Texterna är sparade.")
                return redirect("rapporter:arsrapport", ar=ar)
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = TexterForm(
            initial={
                "bakgrund_text": bilagetexter.till_namn(forbund.bakgrund_text),
                "metod_text": bilagetexter.till_namn(forbund.metod_text),
                "sammanstallningsdatum": bilaga.sammanstallningsdatum if bilaga else None,
                "upprattad_av": bilaga.upprattad_av if bilaga else "",
            }
        )
    datum = (form.cleaned_data.get("sammanstallningsdatum") if form.is_bound else None) or (
        bilaga.sammanstallningsdatum if bilaga else None
    )
    return render(
        request,
        "rapporter/texter.html",
        {
            "form": form,
            "ar": ar,
            **_forhandsvisning(form, ar, datum or timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )


def _forhandsvisning(form: TexterForm, ar: int, datum: dt.date) -> dict[str, Any]:
    """The inserts with their values for `ar`, and each text with the values filled in."""
    varden = bilagetexter.varden(ar=ar, sammanstallningsdatum=datum)
    return {
        "insattningar": [(p, varden[p.nyckel]) for p in bilagetexter.PLATSHALLARE],
        "varden": {
            namn: varden[p.nyckel]
            for p in bilagetexter.PLATSHALLARE
            for namn in (p.visad, p.lagrad)
        },
        "forhandsvisning": [
            (
                form[falt].label,
                form[falt].field.widget.attrs["data-forhandsvisning"],
                bilagetexter.fyll_i(str(form[falt].value() or ""), varden),
            )
            for falt in ("bakgrund_text", "metod_text")
        ],
    }


PERIOD_NAMN = {
    **{f"m{m}": f"{namn} " for m, namn in MANADER.items()},
    **{f"k{k}": f"kvartal {k}, " for k in range(1, 5)},
}


@require_http_methods(["GET", "POST"])
@permissions.administrerar
def utfall(request: HttpRequest, forbund: Forbund, ar: int, period: str = "") -> HttpResponse:
    """Enter the cost posts' utfall for a month (m1–m12) or a quarter (k1–k4)."""
    if not period:
        return redirect(
            "rapporter:utfall_period", ar=ar, period=f"m{max(timezone.localdate().month - 1, 1)}"
        )
    if period not in PERIOD_NAMN:
        raise Http404("Okänd period.")
    manad = int(period[1:]) if period[0] == "m" else None
    kvartal = int(period[1:]) if period[0] == "k" else None
    poster = list(Kostnadspost.objects.filter(forbund=forbund, ar=ar).order_by("ordning", "namn"))
    alla = list(Utfall.objects.filter(post__in=poster))
    befintliga = {u.post_id: u for u in alla if u.manad == manad and u.kvartal == kvartal}
    if request.method == "POST":
        form = UtfallForm(request.POST, poster=poster)
        if form.is_valid():
            try:
                services.utfall_spara_period(
                    user=permissions.inloggad(request),
                    belopp=form.belopp(),
                    manad=manad,
                    kvartal=kvartal,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Utfallet för {PERIOD_NAMN[period]}{ar} är sparat.")
                return redirect("rapporter:utfall_period", ar=ar, period=period)
    else:
        form = UtfallForm(
            poster=poster,
            initial={f"post_{pk}": tal(u.belopp) for pk, u in befintliga.items()},
        )
    return render(
        request,
        "rapporter/utfall.html",
        {
            "ar": ar,
            "form": form,
            "period": period,
            "period_namn": PERIOD_NAMN[period].strip(" ,"),
            "perioder": [(p, n.strip(" ,")) for p, n in PERIOD_NAMN.items()],
            "tabell": _utfallstabell(poster, alla),
        },
        status=400 if form.errors else 200,
    )


def _utfallstabell(
    poster: list[Kostnadspost], alla: list[Utfall]
) -> list[tuple[Kostnadspost, list[Decimal | None], list[Decimal | None], Decimal]]:
    """Per post: the utfall of each month, of each quarter, and the sum so far."""
    per_post: dict[int, dict[str, Decimal]] = {p.pk: {} for p in poster}
    for u in alla:
        per_post[u.post_id][f"m{u.manad}" if u.manad else f"k{u.kvartal}"] = u.belopp
    return [
        (
            p,
            [per_post[p.pk].get(f"m{m}") for m in range(1, 13)],
            [per_post[p.pk].get(f"k{k}") for k in range(1, 5)],
            sum(per_post[p.pk].values(), Decimal(0)),
        )
        for p in poster
    ]
