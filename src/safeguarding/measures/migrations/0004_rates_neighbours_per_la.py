"""Statistical neighbours belong to one of the partnership's LAs and say where the list came
from. A neighbour set for the whole partnership before is kept for each of its LAs."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def per_la(apps, schema_editor):
    Neighbour = apps.get_model("measures", "StatisticalNeighbour")
    LocalAuthority = apps.get_model("core", "LocalAuthority")
    for row in list(Neighbour.objects.filter(local_authority__isnull=True)):
        las = list(LocalAuthority.objects.filter(partnership_id=row.partnership_id)
                   .order_by("old_code"))
        if not las:
            row.delete()
            continue
        row.local_authority = las[0]
        row.source = "Entered before neighbours were kept per LA (source not recorded)"
        row.save()
        for la in las[1:]:
            Neighbour.objects.create(partnership_id=row.partnership_id, local_authority=la,
                                     old_la_code=row.old_la_code, name=row.name,
                                     source=row.source)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_hash_existing_backup_codes"),
        ("measures", "0003_indicator_results_cache"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="statisticalneighbour",
                                    name="unique_statistical_neighbour"),
        migrations.AddField(
            model_name="statisticalneighbour", name="local_authority",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="core.localauthority",
                                    help_text="The partnership's LA whose neighbour this is")),
        migrations.AddField(
            model_name="statisticalneighbour", name="source",
            field=models.CharField(default="", max_length=300, help_text=(
                "Where the list comes from, such as the DfE children's services statistical "
                "neighbour benchmarking tool and its release"))),
        migrations.AddField(
            model_name="statisticalneighbour", name="rank",
            field=models.PositiveSmallIntegerField(default=0,
                                                   help_text="1 is the closest neighbour")),
        migrations.AddField(
            model_name="statisticalneighbour", name="set_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddField(
            model_name="statisticalneighbour", name="set_at",
            field=models.DateTimeField(auto_now=True)),
        migrations.RunPython(per_la, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statisticalneighbour", name="local_authority",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="core.localauthority",
                                    help_text="The partnership's LA whose neighbour this is")),
        migrations.AlterField(
            model_name="statisticalneighbour", name="source",
            field=models.CharField(max_length=300, help_text=(
                "Where the list comes from, such as the DfE children's services statistical "
                "neighbour benchmarking tool and its release"))),
        migrations.AlterField(
            model_name="statisticalneighbour", name="old_la_code",
            field=models.CharField(max_length=3, validators=[
                django.core.validators.RegexValidator(
                    "^\\d{3}$", "Enter the neighbour's old LA code as 3 digits, like 861")])),
        migrations.AlterField(
            model_name="statisticalneighbour", name="name",
            field=models.CharField(blank=True, max_length=200)),
        migrations.AlterModelOptions(
            name="statisticalneighbour",
            options={"ordering": ["local_authority__old_code", "rank", "old_la_code"]}),
        migrations.AddConstraint(
            model_name="statisticalneighbour",
            constraint=models.UniqueConstraint(fields=("local_authority", "old_la_code"),
                                               name="unique_statistical_neighbour_per_la")),
    ]
