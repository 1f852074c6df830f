"""Pages that show computed figures: the goal page (its own issue) and the reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registrering import permissions


@login_required
@require_GET
def mal(request: HttpRequest, ar: int | None = None) -> HttpResponse:
    forbund = permissions.forbund_for_user(request.user)
    if not permissions.kan_se_rapporter(request.user, forbund):
        raise PermissionDenied
    ar = ar or timezone.localdate().year
    return render(request, "rapporter/mal.html", {"forbund": forbund, "ar": ar})
