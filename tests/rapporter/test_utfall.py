"""Entering utfall per cost post and month or quarter: who may, what is refused, the audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registrering.audit import audit_entries_for
from registrering.models import Kostnadspost, Utfall
from registrering.regler import las_belopp

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster(forbund):
    return [
        Kostnadspost.objects.create(
            forbund=forbund, ar=2026, namn="Kansli", kod="1.0", budget=1_875_000, ordning=1
        ),
        Kostnadspost.objects.create(
            forbund=forbund, ar=2026, namn="Utbildning", kod="11.1", budget=459_000, ordning=2
        ),
    ]


def _data(poster, *belopp):
    return {f"post_{p.pk}": b for p, b in zip(poster, belopp, strict=True)}


@pytest.mark.parametrize(
    ("roll", "status"),
    [
        ("verksamhetsutvecklare", 200),
        ("forbundschef", 200),
        ("styrelse", 403),
        ("insatsansvarig", 403),
    ],
)
def test_vem_far_registrera_utfall(client, request, poster, roll, status):
    client.force_login(request.getfixturevalue(roll))
    assert client.get("/mal/2026/utfall/m10/").status_code == status
    response = client.post("/mal/2026/utfall/m10/", _data(poster, "100", ""))
    assert response.status_code == (302 if status == 200 else 403)
    assert Utfall.objects.exists() is (status == 200)


def test_annat_forbund_ser_inte_vara_poster(client, utomstaende, poster):
    client.force_login(utomstaende)
    response = client.get("/mal/2026/utfall/m10/")
    assert response.status_code == 200
    assert "Kansli" not in response.content.decode()
    client.post("/mal/2026/utfall/m10/", {f"post_{poster[0].pk}": "5"})
    assert not Utfall.objects.exists()


def test_spara_andra_och_ta_bort_med_logg(client, verksamhetsutvecklare, poster):
    client.force_login(verksamhetsutvecklare)
    client.post("/mal/2026/utfall/m10/", _data(poster, "156 250", "1234,50"))
    kansli = Utfall.objects.get(post=poster[0], manad=10)
    assert kansli.belopp == Decimal(156_250)
    assert Utfall.objects.get(post=poster[1], manad=10).belopp == Decimal(1235)

    sida = client.get("/mal/2026/utfall/m10/").content.decode()
    assert 'value="156\xa0250"' in sida  # shown the Swedish way, and accepted back

    client.post("/mal/2026/utfall/m10/", _data(poster, "160 000", ""))
    assert audit_entries_for(kansli).first().changes == {"belopp": ["156250", "160000"]}
    assert not Utfall.objects.filter(post=poster[1]).exists()


def test_kvartal(client, verksamhetsutvecklare, poster):
    client.force_login(verksamhetsutvecklare)
    client.post("/mal/2026/utfall/k3/", _data(poster, "", "120 000"))
    utfall = Utfall.objects.get(post=poster[1])
    assert (utfall.kvartal, utfall.manad, utfall.sista_manad) == (3, None, 9)


def test_felaktigt_belopp_ger_fel_vid_faltet_och_inget_sparas(
    client, verksamhetsutvecklare, poster
):
    client.force_login(verksamhetsutvecklare)
    response = client.post("/mal/2026/utfall/m10/", _data(poster, "100", "tio tusen"))
    assert response.status_code == 400
    sida = response.content.decode()
    assert "Ange ett belopp i kronor, t.ex. 125 000." in sida
    assert 'aria-invalid="true"' in sida
    assert 'value="tio tusen"' in sida
    assert not Utfall.objects.exists()


def test_okand_period_ger_404(client, verksamhetsutvecklare, poster):
    client.force_login(verksamhetsutvecklare)
    assert client.get("/mal/2026/utfall/m13/").status_code == 404
    assert client.get("/mal/2026/utfall/").status_code == 302


@pytest.mark.parametrize(
    ("text", "belopp"),
    [
        ("1 234 567", 1_234_567),
        ("1\xa0234", 1234),
        ("99,5", 100),
        ("-2 000", -2000),
        ("500 kr", 500),
    ],
)
def test_las_belopp(text, belopp):
    assert las_belopp(text) == Decimal(belopp)


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-inf", "1e5", "٣٠٠", "𝟓", "12 kronor"])
def test_las_belopp_tar_inte_emot_annat_an_kronor(text):
    with pytest.raises(ValueError, match="Ange ett belopp i kronor"):
        las_belopp(text)
