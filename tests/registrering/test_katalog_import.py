"""The catalogues as files (registrering.resources.katalog): huvudmän, avslutsanledningar with
their insatser, the national målgrupper (export only), the Bakgrund and Metod texts and the
bilaga's comments. Each round trip (export → import) changes nothing."""

from __future__ import annotations

import pytest
from import_export.results import RowResult

from registrering.formats import CSV, XLSX
from registrering.models import AuditEntry, Avslutsanledning, Forbund, Huvudman, Kommentar, Malgrupp
from registrering.resources import katalog as resources
from tests import factories
from tests.registrering.importhjalp import exportera, fil, importera, meddelanden

pytestmark = pytest.mark.django_db
ANLEDNING_RUBRIK = "Namn;Uppsättning;1:a eller 2:a;Utfallskategori;Insatser"


def oforandrad(result) -> bool:
    return meddelanden(result) == [] and all(
        r.import_type == RowResult.IMPORT_TYPE_SKIP for r in result.rows
    )


@pytest.fixture
def kataloger(forbund, insats, annan_insats):
    kommun = factories.HuvudmanFactory(forbund=forbund, namn="Kommun", ordning=1)
    factories.HuvudmanFactory(forbund=forbund, namn="Region", ordning=2)
    arbete = factories.AvslutsanledningFactory(
        forbund=forbund, namn="Arbete", klass=1, kategori="arbete"
    )
    sjuk = factories.AvslutsanledningFactory(
        forbund=forbund, namn="Sjukdom", klass=2, kategori="sjukdom"
    )
    arbete.insatser.set([insats, annan_insats])
    sjuk.insatser.set([insats])
    return kommun


@pytest.mark.parametrize(
    "resurs",
    [
        resources.HuvudmanResource,
        resources.AvslutsanledningResource,
        resources.ForbundstextResource,
        resources.KommentarResource,
    ],
)
@pytest.mark.parametrize("format_", [CSV, XLSX])
def test_export_och_import_igen_andrar_ingenting(
    kataloger, forbund, verksamhetsutvecklare, resurs, format_
):
    forbund.bakgrund_text = "Förbundet bildades 2010.\n\nDet har fyra medlemmar."
    forbund.metod_text = "=Siffrorna för {ar} gäller {period}."
    forbund.save()
    Kommentar.objects.create(forbund=forbund, ar=2025, avsnitt="kon", text="Fler kvinnor.")
    data = format_().export_data(resurs(user=verksamhetsutvecklare).export())
    fore = AuditEntry.objects.andringar().count()

    result = importera(resurs, data, verksamhetsutvecklare, format=format_)

    assert oforandrad(result), meddelanden(result)
    assert len(result.rows) >= 1
    assert AuditEntry.objects.andringar().count() == fore


def test_avslutsanledningar_exporteras_med_alla_eller_insatsernas_namn(
    kataloger, verksamhetsutvecklare
):
    text = exportera(resources.AvslutsanledningResource, verksamhetsutvecklare).decode("utf-8-sig")

    assert text.splitlines() == [
        "Namn;Uppsättning;1:a eller 2:a;Utfallskategori;Etikett i bilagan;Insatser;Ordning",
        "Arbete;Allmän;1:a;Arbete;;alla;0",
        "Sjukdom;Allmän;2:a;Sjukdom;;Försteg Testby;0",
    ]


def test_nya_anledningar_och_huvudman_importeras_med_loggrad(
    kataloger, forbund, insats, annan_insats, verksamhetsutvecklare
):
    result = importera(
        resources.AvslutsanledningResource,
        fil(
            ANLEDNING_RUBRIK,
            "Studier;Allmän;1:a;Studier;alla",
            "Flytt;Allmän;2;Annat skäl;Försteg Grannby",
            "Sjukdom;Allmän;2:a;Sjukdom;alla",
        ),
        verksamhetsutvecklare,
    )
    huvudman = importera(
        resources.HuvudmanResource, fil("Namn;Ordning", "Övrigt;3"), verksamhetsutvecklare
    )

    assert meddelanden(result) == meddelanden(huvudman) == []
    studier = Avslutsanledning.objects.get(forbund=forbund, namn="Studier")
    assert (studier.klass, studier.kategori) == (1, "studier")
    assert set(studier.insatser.all()) == {insats, annan_insats}
    flytt = Avslutsanledning.objects.get(forbund=forbund, namn="Flytt")
    assert list(flytt.insatser.all()) == [annan_insats]
    sjuk = Avslutsanledning.objects.get(forbund=forbund, namn="Sjukdom")
    assert set(sjuk.insatser.all()) == {insats, annan_insats}
    assert Huvudman.objects.get(forbund=forbund, namn="Övrigt").ordning == 3
    loggen = AuditEntry.objects.andringar().filter(action=AuditEntry.Action.IMPORTERAD)
    assert loggen.count() == 4
    assert {e.user_id for e in loggen} == {verksamhetsutvecklare.pk}


def test_fel_i_katalogfilen_anges_vid_rad_och_kolumn_och_inget_sparas(
    kataloger, verksamhetsutvecklare
):
    fore = Avslutsanledning.objects.count()
    result = importera(
        resources.AvslutsanledningResource,
        fil(
            ANLEDNING_RUBRIK,
            "Studier;Allmän;3:e;Studier;alla",
            "Flytt;Allmän;2:a;Annat skäl;Okänd insats",
            "Flytt;allmän;2:a;Annat skäl;",
        ),
        verksamhetsutvecklare,
        radfel_som_filfel=False,
    )

    fel = meddelanden(result)
    assert fel[0] == "Rad 2, 1:a eller 2:a: Okänt värde ”3:e”. Ange 1:a eller 2:a."
    assert fel[1].startswith("Rad 3, Insatser: Okänd insats ”Okänd insats” i Samordningsförbundet")
    assert fel[2].startswith("Rad 4, __all__: Raden är en dubblett av rad 3")
    assert len(fel) == 3
    assert Avslutsanledning.objects.count() == fore


def test_huvudman_dubblett_och_annat_forbund_avvisas(
    kataloger, verksamhetsutvecklare, annat_forbund
):
    result = importera(
        resources.HuvudmanResource,
        fil("Namn;Förbund", "Övrigt;STB", "övrigt ;STB", "Övrigt;SAS"),
        verksamhetsutvecklare,
        radfel_som_filfel=False,
    )

    assert meddelanden(result) == [
        "Rad 3, __all__: Raden är en dubblett av rad 2: samma namn. Ta bort en av dem.",
        "Rad 4, Förbund: Du hör inte till Samordningsförbundet Annanstans och kan inte importera "
        "till det förbundet.",
    ]
    assert not Huvudman.objects.filter(namn="Övrigt").exists()


def test_malgrupper_exporteras_for_alla_men_importeras_inte(forbund, verksamhetsutvecklare):
    Malgrupp.objects.get_or_create(kod="unga", defaults={"namn": "Unga"})
    text = exportera(resources.MalgruppResource, verksamhetsutvecklare).decode("utf-8-sig")
    assert text.splitlines()[0] == "Kod;Namn"
    assert "unga;Unga" in text.splitlines()

    result = importera(resources.MalgruppResource, text.encode(), verksamhetsutvecklare)

    assert meddelanden(result) == [resources.BARA_EXPORT]


def test_texter_importeras_med_stycken_och_andringsrad(forbund, verksamhetsutvecklare):
    data = fil("Bakgrund", '"Första stycket.\n\nAndra stycket."')

    result = importera(resources.ForbundstextResource, data, verksamhetsutvecklare)

    assert meddelanden(result) == []
    forbund = Forbund.objects.get(pk=forbund.pk)
    assert forbund.bakgrund_text == "Första stycket.\n\nAndra stycket."
    rad = AuditEntry.objects.andringar().get(object_id=str(forbund.pk))
    assert rad.user_id == verksamhetsutvecklare.pk


def test_en_annan_forbunds_katalog_exporteras_inte(kataloger, verksamhetsutvecklare, annat_forbund):
    factories.HuvudmanFactory(forbund=annat_forbund, namn="Deras huvudman")
    text = exportera(resources.HuvudmanResource, verksamhetsutvecklare).decode("utf-8-sig")
    assert "Deras huvudman" not in text
    assert "Kommun;1" in text.splitlines()
