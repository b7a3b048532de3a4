"""Seed the managed list of themes, each with where it comes from.

The first group is named in the Staffordshire Safeguarding Children Board yearly
report 2020/21 (the seed), as key themes from its reviews or as findings. The
second group is inferred: themes that recur in rapid reviews and practice reviews
in England, offered as a starting list for a partnership to confirm, rename or
retire on the themes page.
"""

from django.db import migrations

SEED = "Staffordshire SCB yearly report 2020/21: key themes from reviews"
SEED_FINDINGS = "Staffordshire SCB yearly report 2020/21: findings from reviews"
INFERRED = "Recurring theme in reviews in England (inferred; confirm locally)"

THEMES = [
    ("neglect", "Neglect", SEED),
    ("physical-harm-to-babies-under-one", "Physical harm to babies under one year", SEED),
    ("intra-familial-child-sexual-abuse", "Intra-familial child sexual abuse", SEED),
    ("domestic-abuse", "Domestic abuse", SEED_FINDINGS),
    ("voice-of-the-child", "Voice of the child", SEED_FINDINGS),
    ("information-sharing", "Information sharing and multi-agency chronologies", SEED_FINDINGS),
    ("professional-challenge-and-escalation", "Professional challenge and escalation",
     SEED_FINDINGS),
    ("parental-mental-health", "Parental mental health", INFERRED),
    ("parental-substance-misuse", "Parental alcohol and drug misuse", INFERRED),
    ("child-criminal-exploitation", "Child criminal exploitation", INFERRED),
    ("child-sexual-exploitation", "Child sexual exploitation", INFERRED),
    ("safer-sleep", "Sudden unexpected death in infancy and safer sleep", INFERRED),
    ("suicide-and-self-harm", "Adolescent suicide and self-harm", INFERRED),
    ("online-harm", "Online harm", INFERRED),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("reviews", "Theme")
    for slug, name, source in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "source": source})


def unseed(apps, schema_editor):
    Theme = apps.get_model("reviews", "Theme")
    Theme.objects.filter(slug__in=[slug for slug, _, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
