"""Scoping helpers: each role sees only what it may; another förbund sees nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from registrering import permissions
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_insatser_for_user_per_roll(
    forbund,
    insats,
    annan_insats,
    verksamhetsutvecklare,
    forbundschef,
    styrelse,
    insatsansvarig,
    utomstaende,
):
    annans = f.InsatsFactory(forbund=utomstaende.forbund, namn="Annans")
    alla = {insats, annan_insats}
    assert set(permissions.insatser_for_user(verksamhetsutvecklare)) == alla
    assert set(permissions.insatser_for_user(forbundschef)) == alla
    assert set(permissions.insatser_for_user(styrelse)) == alla
    assert set(permissions.insatser_for_user(insatsansvarig)) == {insats}
    assert set(permissions.insatser_for_user(utomstaende)) == {annans}
    assert not permissions.insatser_for_user(AnonymousUser()).exists()
    assert not permissions.insatser_for_user(verksamhetsutvecklare, utomstaende.forbund).exists()


def test_insats_for_user_404_for_annat_forbund_och_403_for_fel_insats(
    insats, annan_insats, insatsansvarig, styrelse, utomstaende
):
    assert permissions.insats_for_user(insatsansvarig, insats.pk, skriva=True) == insats
    with pytest.raises(PermissionDenied):
        permissions.insats_for_user(insatsansvarig, annan_insats.pk)
    assert permissions.insats_for_user(styrelse, insats.pk) == insats
    with pytest.raises(PermissionDenied):
        permissions.insats_for_user(styrelse, insats.pk, skriva=True)
    with pytest.raises(Http404):
        permissions.insats_for_user(utomstaende, insats.pk)
    with pytest.raises(Http404):
        permissions.insats_for_user(insatsansvarig, 999_999)


def test_inaktiv_anvandare_far_ingenting(verksamhetsutvecklare, forbund, insats):
    verksamhetsutvecklare.is_active = False
    assert not permissions.kan_administrera(verksamhetsutvecklare, forbund)
    assert not permissions.insatser_for_user(verksamhetsutvecklare).exists()


def test_anvandare_utan_roll_far_ingenting(forbund, insats):
    utan_roll = f.UserFactory(username="utanroll", forbund=forbund)
    assert not permissions.kan_se_forbund(utan_roll, forbund)
    assert not permissions.kan_se_rapporter(utan_roll, forbund)
    assert not permissions.insatser_for_user(utan_roll).exists()


@pytest.mark.parametrize(
    ("roll", "rapporter", "administrera"),
    [
        ("verksamhetsutvecklare", True, True),
        ("forbundschef", True, True),
        ("styrelse", True, False),
        ("insatsansvarig", False, False),
        ("utomstaende", False, False),
    ],
)
def test_formagor_per_roll(request, forbund, roll, rapporter, administrera):
    user = request.getfixturevalue(roll)
    assert permissions.kan_se_rapporter(user, forbund) is rapporter
    assert permissions.kan_administrera(user, forbund) is administrera


def test_insatsansvaret_lases_en_gang_per_hamtad_insats_och_foljer_en_andring(
    insats, insatsansvarig, verksamhetsutvecklare, django_assert_num_queries
):
    """The insatsansvarig's insats comes with its insatsansvariga: the view's and the service's
    checks read nothing more, and a change through the manager is seen by the next check (no
    answer kept beside it that would have to be emptied by hand)."""
    hamtad = permissions.insats_for_user(insatsansvarig, insats.pk, skriva=True)
    with django_assert_num_queries(0):
        assert permissions.kan_rapportera(insatsansvarig, hamtad)
        assert permissions.kan_se_insats(insatsansvarig, hamtad)
    hamtad.insatsansvariga.remove(insatsansvarig)
    assert not permissions.kan_rapportera(insatsansvarig, hamtad)
    # The kansli's checks never ask: nothing is prefetched for them.
    kanslis = permissions.insats_for_user(verksamhetsutvecklare, insats.pk, skriva=True)
    assert "insatsansvariga" not in getattr(kanslis, "_prefetched_objects_cache", {})
