"""One child per UPN in each partnership's index (ADR 0011).

Before the constraint is added, any UPN two children of one index already share is
listed and the migration stops: which record is the real one is for the business
unit to decide, not for a migration to guess.
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_existing_duplicates(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    shared = list(
        Child.objects.exclude(upn="").values("partnership__code", "upn")
        .annotate(records=Count("pk")).filter(records__gt=1)
        .order_by("partnership__code", "upn")[:20]
    )
    if shared:
        lines = "\n".join(
            f"  partnership {row['partnership__code']}: {row['records']} children share UPN "
            f"{row['upn']}"
            for row in shared
        )
        raise RuntimeError(
            "Cannot add the rule that a UPN names one child in a partnership's index: "
            "these UPNs are on more than one child (the first 20 shown).\n"
            f"{lines}\n"
            "Correct or merge those records, then run the migration again."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0004_lookup_indexes'),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='child',
            constraint=models.UniqueConstraint(condition=models.Q(('upn', ''), _negated=True), fields=('partnership', 'upn'), name='unique_child_upn'),
        ),
    ]
