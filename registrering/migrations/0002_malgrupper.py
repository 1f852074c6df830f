from django.db import migrations

MALGRUPPER = [
    ("enbart-kvinnor", "Enbart kvinnor"),
    ("enbart-man", "Enbart män"),
    ("unga", "Unga"),
    ("unga-med-funktionsnedsattning", "Unga med funktionsnedsättning"),
    ("unga-med-aktivitetsersattning", "Unga med aktivitetsersättning"),
    ("langtidssjukskrivna", "Långtidssjukskrivna"),
    ("ingen-specifik-malgrupp", "Ingen specifik målgrupp"),
]


def skapa(apps, schema_editor):
    Malgrupp = apps.get_model("registrering", "Malgrupp")
    for ordning, (kod, namn) in enumerate(MALGRUPPER, start=1):
        Malgrupp.objects.update_or_create(kod=kod, defaults={"namn": namn, "ordning": ordning})


def ta_bort(apps, schema_editor):
    apps.get_model("registrering", "Malgrupp").objects.filter(
        kod__in=[kod for kod, _ in MALGRUPPER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registrering", "0001_grund")]
    operations = [migrations.RunPython(skapa, ta_bort)]
