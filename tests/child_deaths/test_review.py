"""The panel's review (analysis form) and the Joint Agency Response."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import CdopReview, ChildDeath, JointAgencyResponse, Theme
from tests.child_deaths.helpers import TODAY, audit_rows, icb, notify, police, post_date, user

pytestmark = pytest.mark.django_db


def test_review_with_modifiable_factors_by_domain_and_category(demo_world):
    case = notify(
        code="STOKE",
        date_of_birth=dt.date(2020, 3, 1),
        expected="unexpected",
        jar_triggers=["sudden_no_cause"],
    )
    themes = list(Theme.objects.filter(key__in=["unsafe_sleep", "smoking"]))
    review = services.cdop_review_record(
        actor=user("cdop.member"),
        case=case,
        review_date=dt.date(2021, 1, 12),
        category=10,
        modifiable="yes",
        themes=themes,
        factors={
            "parenting_capacity": ["Infant asleep on a sofa with an adult"],
            "family_environment": ["Smoking in the home", "  "],
        },
        learning_points="Safer sleep advice not repeated after the birth.",
        recommendations="Repeat the Safer Sleep campaign.",
        today=TODAY,
    )
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.category_name == "Sudden unexpected, unexplained death"
    assert review.modifiable == "yes"
    assert sorted((f.domain, f.description) for f in review.factors.all()) == [
        ("family_environment", "Smoking in the home"),
        ("parenting_capacity", "Infant asleep on a sofa with an adult"),
    ]
    assert {t.key for t in review.themes.all()} == {"unsafe_sleep", "smoking"}
    assert case.status == ChildDeath.Status.REVIEWED
    assert audit_rows(case, "create").count() == 2  # the notification and the review

    # Correcting the review replaces the factors rather than adding to them.
    services.cdop_review_record(
        actor=user("cdop.member"),
        case=case,
        review_date=dt.date(2021, 1, 12),
        category=10,
        modifiable="no",
        factors={"child": ["No cause found"]},
        today=TODAY,
    )
    review.refresh_from_db()
    assert [f.description for f in review.factors.all()] == ["No cause found"]
    assert review.themes.count() == 0


def test_modifiable_yes_needs_a_factor_and_nothing_is_saved(demo_world):
    case = notify()
    with pytest.raises(ValidationError) as refused:
        services.cdop_review_record(
            actor=user("cdop.member"),
            case=case,
            review_date=dt.date(2020, 5, 1),
            category=11,
            modifiable="yes",
            factors={},
            today=TODAY,
        )
    errors = refused.value.message_dict
    assert {"review_date", "category", "modifiable"} <= set(errors)
    assert not CdopReview.objects.exists()


def test_the_ten_categories_come_from_configuration():
    from safeguarding.child_deaths import code_lists

    names = [c.name for c in code_lists.categories()]
    assert len(names) == 10 and [c.code for c in code_lists.categories()] == list(range(1, 11))
    assert names[1] == "Suicide or deliberate self-inflicted harm"
    assert "Arch Dis Child" in code_lists.categories_source()


def test_joint_agency_response_for_an_unexpected_death(demo_world):
    case = notify(expected="unexpected", jar_triggers=["external_causes"])
    jar = services.jar_record(
        actor=user("business.staffs"),
        case=case,
        meeting_date=dt.date(2020, 6, 2),
        agencies=[police()],
        key_worker_name="Sam Keyworker",
        key_worker_agency=icb(),
        today=TODAY,
    )
    assert set(jar.agencies.all()) == {police(), icb()}
    expected_case = notify()
    with pytest.raises(ValidationError) as refused:
        services.jar_record(
            actor=user("business.staffs"),
            case=expected_case,
            meeting_date=dt.date(2020, 6, 2),
            agencies=[police()],
            key_worker_name="Sam",
            key_worker_agency=icb(),
            today=TODAY,
        )
    assert "unexpected" in refused.value.message_dict["__all__"][0]
    assert JointAgencyResponse.objects.count() == 1


def test_review_page_saves_factors_from_lines(client_for):
    case = notify()
    theme = Theme.objects.get(key="non_attendance")
    response = client_for("cdop.member").post(
        reverse("child_deaths:review", args=[case.pk]),
        {
            **post_date("review_date", dt.date(2021, 2, 1)),
            "category": "5",
            "modifiable": "yes",
            "factors_service_provision": "Missed appointments not followed up\nNo interpreter",
            "themes": [theme.pk],
            "learning_points": "Follow up every missed appointment",
        },
    )
    assert response.status_code == 302
    review = CdopReview.objects.get(case=case)
    assert review.factors.filter(domain="service_provision").count() == 2
    assert list(review.themes.all()) == [theme]
