"""Seed the managed list of review themes from data/themes.yaml."""

from pathlib import Path

import yaml
from django.db import migrations

THEMES = Path(__file__).resolve().parent.parent / "data" / "themes.yaml"


def seed(apps, schema_editor):
    Theme = apps.get_model("child_deaths", "Theme")
    data = yaml.safe_load(THEMES.read_text())
    source = " ".join(data["source"].split())[:300]
    for spec in data["themes"]:
        Theme.objects.get_or_create(
            key=spec["key"], defaults={"name": spec["name"], "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("child_deaths", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
