"""The joint report's pages: the user's groups, a group's year, and its PDF (built in the
background and handed out as the bilaga's is: `rapporter.views.pdf_svar`). Every view asks
`registrering.permissions` (`grupper_for_user`, `grupp_for_user`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from rapporter import diagram as d
from rapporter import sidcache
from rapporter.views import Bygge, diagram_svar, pdf_svar, svg_policy
from registrering import dataversion
from registrering.permissions import grupp_for_user, grupper_for_user
from samverkan import diagram, pdf
from samverkan.selectors import samverkansrapport

#: The years offered on the page: this year and the five before it.
ANTAL_AR = 6
#: How long a rendered page is kept (new data versions are new keys).
SIDA_TIMEOUT = sidcache.SIDA_TIMEOUT


def idag() -> dt.date:
    return timezone.localdate()


def _ar_lista() -> list[int]:
    i_ar = idag().year
    return list(range(i_ar, i_ar - ANTAL_AR, -1))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The groups whose joint report the user reads; with one, straight to last year's."""
    grupper = list(grupper_for_user(request.user))
    if not grupper:
        raise PermissionDenied("Du samordnar ingen grupp av förbund.")
    if len(grupper) == 1:
        return redirect("samverkan:rapport", grupper[0].kortnamn, idag().year - 1)
    return render(
        request,
        "samverkan/index.html",
        {"grupper": grupper, "ar": idag().year - 1},
    )


@login_required
@require_GET
def rapport(request: HttpRequest, grupp: str, ar: int) -> HttpResponse:
    """The group's year. Its content is kept in the shared cache by the data versions of the
    group's förbund (`registrering.dataversion`) and the day: with unchanged data nothing is
    computed or rendered."""
    post = grupp_for_user(request.user, grupp)
    versioner = dataversion.versioner(post.forbund.values_list("pk", flat=True), ar)
    delar = (
        sidcache.kodversion(),
        post.pk,
        ar,
        idag().isoformat(),
        *(f"{f}-{v}" for f, v in sorted(versioner.items())),
    )
    nyckel = "finsam:samverkan:sida:" + ":".join(map(str, delar))
    innehall = cache.get(nyckel)
    if innehall is None:
        r = samverkansrapport(grupp=post, ar=ar)
        for dg in diagram.diagram_for(r):  # for its image's request (`diagram_svg`)
            cache.set(_diagramnyckel(post.pk, ar, dg.version), dg, SIDA_TIMEOUT)
        innehall = render_to_string(
            "samverkan/_rapport_innehall.html",
            {**pdf.kontext(r, pdf=False), "ar_lista": _ar_lista()},
        )
        cache.set(nyckel, innehall, SIDA_TIMEOUT)
    return render(
        request,
        "samverkan/rapport.html",
        # Our own template's output, kept as text in the cache.
        {"titel": f"{post.namn} {ar}", "innehall": mark_safe(innehall)},
    )


def _diagramnyckel(grupp_id: int, ar: int, hash_: str) -> str:
    return f"finsam:samverkan:diagram:{grupp_id}:{ar}:{hash_}"


@login_required
@require_GET
@svg_policy
def diagram_svg(request: HttpRequest, grupp: str, ar: int, hash_: str) -> HttpResponse:
    """The page's chart as SVG, by the hash of what it shows (`rapporter.views.diagram_svar`):
    the stored one, else the one the page left in the cache or found in the report."""
    post = grupp_for_user(request.user, grupp)

    def hitta() -> d.Diagram | None:
        valt: d.Diagram | None = cache.get(_diagramnyckel(post.pk, ar, hash_))
        if valt is None:
            r = samverkansrapport(grupp=post, ar=ar)
            valt = next((dg for dg in diagram.diagram_for(r) if dg.version == hash_), None)
        return valt

    return diagram_svar(pdf.diagramnamn(post.kortnamn, ar, hash_), hash_, hitta)


@login_required
@require_GET
def rapport_pdf(request: HttpRequest, grupp: str, ar: int) -> HttpResponse:
    """The joint report as PDF, built in the background (`rapporter.views.pdf_svar`: until it
    is built, a page that says how it goes and asks again by itself)."""
    post = grupp_for_user(request.user, grupp)
    r = samverkansrapport(grupp=post, ar=ar)
    bygge = Bygge(
        adress=reverse("samverkan:pdf", args=[post.kortnamn, ar]),
        namn="Den gemensamma rapporten",
        rapport=f"{post.namn} {ar}",
        sida=reverse("samverkan:rapport", args=[post.kortnamn, ar]),
        ar=ar,
    )
    return pdf_svar(
        request,
        bygge,
        fardig=lambda: pdf.fardig(r),
        forbered=lambda igen: pdf.forbered(r, igen=igen),
    )
