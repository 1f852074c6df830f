# Two-factor login (registrering.tvasteg): its events in the audit log.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registrering', '0008_paminnelser'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('skapad', 'Skapad'), ('andrad', 'Ändrad'), ('borttagen', 'Borttagen'), ('inskickad', 'Inskickad'), ('returnerad', 'Returnerad'), ('godkand', 'Godkänd'), ('upplast', 'Upplåst'), ('registrerad', 'Registrerad i Uppföljning Finsam'), ('importerad', 'Importerad'), ('inloggad', 'Inloggad'), ('inlogg_fel', 'Misslyckad inloggning'), ('utloggad', 'Utloggad'), ('sparrad', 'Spärrad efter för många försök'), ('avsparrad', 'Spärr hävd'), ('losenord', 'Lösenord bytt'), ('tvasteg_pa', 'Tvåstegsverifiering aktiverad'), ('tvasteg_av', 'Tvåstegsverifiering borttagen'), ('tvasteg_ok', 'Inloggning bekräftad med kod'), ('tvasteg_fel', 'Felaktig kod för tvåstegsverifiering')], max_length=12, verbose_name='händelse'),
        ),
    ]
