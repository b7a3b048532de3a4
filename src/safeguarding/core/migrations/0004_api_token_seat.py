"""API tokens act as one seat (membership), not as every seat of their user at an agency.

A token whose user held exactly one membership at its agency is bound to that
membership. A token that could stand for several seats is revoked: nobody can
say which seat its system was meant to act as, and it must be issued again.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def bind_tokens_to_seats(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    Membership = apps.get_model("core", "Membership")
    for token in ApiToken.objects.all():
        seats = list(Membership.objects.filter(user_id=token.user_id, agency_id=token.agency_id))
        if len(seats) == 1:
            token.membership = seats[0]
        elif token.revoked_at is None:
            token.revoked_at = timezone.now()
        token.save(update_fields=["membership", "revoked_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_scheduled_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="membership",
            field=models.ForeignKey(blank=True, help_text="The seat the token acts as", null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="api_tokens", to="core.membership"),
        ),
        migrations.RunPython(bind_tokens_to_seats, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="agency"),
    ]
