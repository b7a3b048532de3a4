"""Levels per role and partnership, including the partnership that shares practice reviews."""

from safeguarding.core.models import Partnership, PartnershipShare, User
from safeguarding.reviews.rules import Level, review_access


def _levels(username):
    user = User.objects.get(username=username)
    rights = review_access(user)
    return {p.code: lvl for p in Partnership.objects.all() if (lvl := rights.level(p.pk))}


def test_levels_for_each_role(demo_world):
    assert _levels("business.staffs") == {"STAFFS": Level.FULL}
    # Staffordshire shares practice reviews with Stoke-on-Trent: its business unit reads them.
    assert _levels("business.stoke") == {"STOKE": Level.FULL, "STAFFS": Level.READ}
    assert _levels("reviews.member") == {"STAFFS": Level.CONTRIBUTE}
    assert _levels("board.police") == {"STAFFS": Level.SUMMARY}
    assert _levels("analyst.staffs") == {"STAFFS": Level.AGGREGATE}
    assert _levels("analyst.stoke") == {"STOKE": Level.AGGREGATE, "STAFFS": Level.AGGREGATE}
    for username in ("scrutiny.member", "police.officer", "admin", "key.adult.brook"):
        assert _levels(username) == {}


def test_practitioners_own_their_agencys_actions_only(demo_world):
    officer = review_access(User.objects.get(username="police.officer"))
    assert len(officer.action_seats) == 1
    assert review_access(User.objects.get(username="admin")).manages_themes


def test_without_the_share_the_other_business_unit_sees_nothing(demo_world, records, client_for):
    from django.urls import reverse

    PartnershipShare.objects.filter(function="practice_reviews").delete()
    url = reverse("reviews:incident-detail", args=[records["incident"].pk])
    assert client_for("business.stoke").get(url).status_code == 403
    assert _levels("business.stoke") == {"STOKE": Level.FULL}


def test_a_share_grants_once_never_onwards(demo_world):
    """Stoke reads Staffordshire's reviews through Staffordshire's share; a third partnership
    sharing with Staffordshire gives Stoke's people nothing of its own."""
    from safeguarding.core.models import PartnershipShare

    staffs = Partnership.objects.get(code="STAFFS")
    third = Partnership.objects.create(code="THIRD", name="A third partnership")
    PartnershipShare.objects.create(owner=third, shared_with=staffs, function="practice_reviews")
    assert _levels("business.stoke") == {"STOKE": Level.FULL, "STAFFS": Level.READ}
    assert _levels("business.staffs") == {"STAFFS": Level.FULL, "THIRD": Level.READ}
