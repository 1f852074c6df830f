"""The joint report's pages: the user's groups, a group's year, and its PDF (built in the
background and handed out as the bilaga's is: `rapporter.views.pdf_svar`). Every view asks
`registrering.permissions` (`grupper_for_user`, `grupp_for_user`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapporter.views import Bygge, pdf_svar
from registrering.permissions import grupp_for_user, grupper_for_user
from samverkan import pdf
from samverkan.selectors import samverkansrapport

#: The years offered on the page: this year and the five before it.
ANTAL_AR = 6


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
    post = grupp_for_user(request.user, grupp)
    r = samverkansrapport(grupp=post, ar=ar)
    return render(
        request, "samverkan/rapport.html", {**pdf.kontext(r, pdf=False), "ar_lista": _ar_lista()}
    )


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
