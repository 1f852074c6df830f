"""Yearly totals with or without the gender split (issue 14, point 2): the rule, the service, the
import and the admin form all take a year as kvinnor/män or as totals, never both."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registrering import ledger, regler, resources, services
from registrering.ledger import Kon
from registrering.models import Arstotal
from tests.registrering.importhjalp import fil, importera, meddelanden

pytestmark = pytest.mark.django_db

RUBRIK = "Insats;År;Deltagare kvinnor;Deltagare män;Deltagare totalt;Nya totalt;Avslutade totalt"


def _fel(varden: dict[str, object]) -> dict[str, str]:
    return {f.falt: f.text for f in services.arstotal_fel(ar=2019, varden=varden)}


# --- The rule -----------------------------------------------------------------------------------


def test_regeln_tar_uppdelning_eller_totaler():
    assert regler.arstotal_uppdelning({"deltagare_kvinnor": 3, "deltagare_man": 0}) == []
    assert regler.arstotal_uppdelning({"deltagare": 7, "nya": 2}) == []
    assert regler.arstotal_uppdelning({"volym": 40}) == []  # a volyminsats's year


def test_regeln_avvisar_bada_och_ingetdera_med_meddelande_vid_faltet():
    bada = regler.arstotal_uppdelning({"deltagare_kvinnor": 3, "deltagare_man": 2, "deltagare": 5})
    assert [(f.falt, f.text) for f in bada] == [
        (
            "deltagare",
            "Ange antingen kvinnor och män eller totalen utan kön, inte båda. Lämna kvinnor och "
            "män tomma när det gamla systemet bara har totalen.",
        )
    ]
    (ingetdera,) = regler.arstotal_uppdelning({})
    assert ingetdera.falt == "deltagare_kvinnor"
    assert "eller deltagare totalt om uppdelningen på kön saknas" in ingetdera.text
    (halv,) = regler.arstotal_uppdelning({"deltagare_kvinnor": 3})
    assert (halv.falt, halv.text) == (
        "deltagare_man",
        "Ange deltagare män (0 om inga), eller bara totalen utan kön.",
    )
    (utan_deltagare,) = regler.arstotal_uppdelning({"nya": 2})
    assert utan_deltagare.falt == "deltagare"


def test_totalerna_har_aldrig_fler_nya_eller_avslutade_an_deltagare():
    assert regler.arstotal_totaler(deltagare=5, nya=5, avslutade=0) == []
    assert [(f.falt, f.text) for f in regler.arstotal_totaler(deltagare=5, nya=6, avslutade=9)] == [
        ("nya", "Fler nya (6) än deltagare (5)."),
        ("avslutade", "Fler avslutade (9) än deltagare (5)."),
    ]


def test_tjanstens_kontroll_fragar_regeln_for_bada_slagen():
    assert _fel({"deltagare": 5, "nya": 2, "avslutade": 1, "kalla": "SUS"}) == {}
    assert _fel({"deltagare": 5, "nya": 6, "kalla": "SUS"}) == {
        "nya": "Fler nya (6) än deltagare (5)."
    }
    # With the split, the split's own rule as before.
    assert _fel({"deltagare_kvinnor": 2, "deltagare_man": 1, "nya_kvinnor": 3, "kalla": "SUS"}) == {
        "nya_kvinnor": "Fler nya kvinnor (3) än deltagare kvinnor (2)."
    }
    assert set(_fel({"deltagare": 5, "deltagare_man": 1, "kalla": "SUS"})) == {"deltagare"}
    assert _fel({"deltagare": -1, "kalla": "SUS"}) == {
        "deltagare": "Deltagare totalt kan inte vara mindre än 0."
    }


def test_tjansten_sparar_en_total_utan_kon_och_databasen_vagrar_blandning(
    verksamhetsutvecklare, insats
):
    arstotal = services.arstotal_spara(
        user=verksamhetsutvecklare,
        insats=insats,
        ar=2019,
        varden={"deltagare": 12, "nya": 5, "avslutade": 4, "kalla": "SUS"},
    )
    arstotal.refresh_from_db()
    assert arstotal.utan_kon
    assert (arstotal.deltagare_kvinnor, arstotal.deltagare_man) == (None, None)
    with pytest.raises(ValidationError) as fel:
        services.arstotal_spara(
            user=verksamhetsutvecklare, insats=insats, ar=2019, varden={"deltagare_kvinnor": 3}
        )
    assert "deltagare" in fel.value.message_dict
    assert Arstotal.objects.get().deltagare_kvinnor is None


def test_liggaren_laser_en_total_utan_kon_som_antal_utan_kon():
    flode = ledger.arstotal_flode({"deltagare": 12, "nya": 5, "avslutade": 4})
    assert flode.deltagare == Kon(utan_kon=12)
    assert flode.ingaende == Kon(utan_kon=7)
    assert flode.slut == Kon(utan_kon=8)
    assert not flode.slut.uppdelad and flode.slut.totalt == 8
    med_kon = ledger.arstotal_flode({"deltagare_kvinnor": 3, "deltagare_man": 2, "nya_man": None})
    assert med_kon.deltagare == Kon(3, 2) and med_kon.nya == Kon()
    # A sum with a part without the split is not split, but its total is right.
    summa = Kon(3, 2) + Kon(utan_kon=12)
    assert (summa.totalt, summa.uppdelad) == (17, False)


# --- The import --------------------------------------------------------------------------------


def test_importen_tar_emot_bada_slagen_med_tomma_kolumner(verksamhetsutvecklare, insats):
    annan = insats.__class__.objects.create(
        forbund=insats.forbund,
        namn="Försteg Grannby",
        inriktning=insats.inriktning,
        uppfoljning=insats.uppfoljning,
        startdatum=insats.startdatum,
    )
    result = importera(
        resources.ArstotalResource,
        fil(
            RUBRIK + ";Källa",
            "Försteg Testby;2019;;;18;7;11;SUS",
            "Försteg Grannby;2019;5;3;;;;SUS",
        ),
        verksamhetsutvecklare,
    )
    assert meddelanden(result) == []
    utan = Arstotal.objects.get(insats=insats)
    assert (utan.deltagare, utan.nya, utan.avslutade) == (18, 7, 11)
    assert (utan.deltagare_kvinnor, utan.deltagare_man, utan.nya_kvinnor) == (None, None, None)
    med = Arstotal.objects.get(insats=annan)
    assert (med.deltagare_kvinnor, med.deltagare_man, med.nya_kvinnor) == (5, 3, 0)
    assert med.deltagare is None


def test_importen_av_bara_totalen_ersatter_en_uppdelning(verksamhetsutvecklare, insats):
    Arstotal.objects.create(
        insats=insats, ar=2019, deltagare_kvinnor=4, deltagare_man=4, kalla="SUS"
    )
    result = importera(
        resources.ArstotalResource,
        fil("Insats;År;Deltagare totalt;Källa", "Försteg Testby;2019;9;SUS"),
        verksamhetsutvecklare,
    )
    assert meddelanden(result) == []
    rad = Arstotal.objects.get()
    assert (rad.deltagare, rad.deltagare_kvinnor, rad.deltagare_man) == (9, None, None)


def test_importen_avvisar_bada_pa_samma_rad_vid_kolumnen(verksamhetsutvecklare, insats):
    result = importera(
        resources.ArstotalResource,
        fil(RUBRIK + ";Källa", "Försteg Testby;2019;5;3;8;;;SUS"),
        verksamhetsutvecklare,
    )
    assert meddelanden(result)[-1] == (
        "Rad 2, Deltagare totalt: Ange antingen kvinnor och män eller totalen utan kön, inte "
        "båda. Lämna kvinnor och män tomma när det gamla systemet bara har totalen."
    )
    assert not Arstotal.objects.exists()


# --- The admin form ----------------------------------------------------------------------------


def _admin_data(insats, **varden: str) -> dict[str, str]:
    return {"insats": str(insats.pk), "ar": "2019", "kalla": "SUS", **varden}


def test_adminformularet_sparar_en_total_utan_kon_och_avvisar_bada(
    client, verksamhetsutvecklare, insats
):
    client.force_login(verksamhetsutvecklare)
    adress = reverse("admin:registrering_arstotal_add")
    bada = client.post(
        adress, _admin_data(insats, deltagare="8", deltagare_kvinnor="5", deltagare_man="3")
    )
    assert bada.status_code == 200
    assert bada.context["adminform"].form.errors["deltagare"] == [
        "Ange antingen kvinnor och män eller totalen utan kön, inte båda. Lämna kvinnor och "
        "män tomma när det gamla systemet bara har totalen."
    ]
    assert not Arstotal.objects.exists()
    svar = client.post(adress, _admin_data(insats, deltagare="8", nya="3", avslutade="2"))
    assert svar.status_code == 302
    rad = Arstotal.objects.get()
    assert (rad.deltagare, rad.nya, rad.avslutade, rad.deltagare_kvinnor) == (8, 3, 2, None)
