"""Move any backup codes kept in clear (django-otp static tokens) to hashed codes."""

import secrets

from django.db import migrations

from safeguarding.core.models import backup_code_digest


def hash_existing(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    BackupCodeDevice = apps.get_model("core", "BackupCodeDevice")
    BackupCode = apps.get_model("core", "BackupCode")
    for old in StaticDevice.objects.all():
        tokens = list(old.token_set.values_list("token", flat=True))
        if tokens:
            device, _ = BackupCodeDevice.objects.get_or_create(
                user_id=old.user_id, name="Backup codes", defaults={"confirmed": True})
            rows = []
            for token in tokens:
                salt = secrets.token_hex(16)
                rows.append(BackupCode(device=device, salt=salt,
                                       code_hash=backup_code_digest(salt, token)))
            BackupCode.objects.bulk_create(rows)
        # The clear codes go, with their device, so nothing verifies against them again.
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_hashed_backup_codes"),
        ("otp_static", "__latest__"),
    ]
    operations = [migrations.RunPython(hash_existing, migrations.RunPython.noop)]
