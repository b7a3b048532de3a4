"""Information requests: due dates from the deadline rule (stored with the rule id)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import ChildDeath, InformationRequest
from safeguarding.core import deadlines
from safeguarding.core.models import Agency
from tests.child_deaths.helpers import TODAY, audit_rows, icb, notify, police, user

pytestmark = pytest.mark.django_db


def _request(case, requested_on, agency=None, **kw):
    return services.information_request_add(
        actor=user("business.staffs"),
        case=case,
        agency=agency or icb(),
        requested_on=requested_on,
        today=TODAY,
        **kw,
    )


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        # Day 0 is the request. Easter 2021: Good Friday 2 April and Easter Monday 5 April.
        (dt.date(2021, 3, 31), dt.date(2021, 4, 30)),
        # Christmas 2020: 25 December, Boxing Day's substitute Monday 28 December, 1 January.
        (dt.date(2020, 12, 23), dt.date(2021, 1, 25)),
        # No holiday in the way: 20 working days is four calendar weeks.
        (dt.date(2020, 9, 1), dt.date(2020, 9, 29)),
    ],
)
def test_due_dates_skip_weekends_and_bank_holidays_and_keep_the_rule(demo_world, requested, due):
    case = notify(date_of_death=dt.date(2020, 6, 1))
    request = _request(case, requested)
    request.refresh_from_db()
    assert request.due_on == due
    assert request.due_rule == "child_death_agency_return"
    assert deadlines.rule(request.due_rule).amount == 20
    assert request.due_on == deadlines.due_date("child_death_agency_return", requested)


def test_requests_move_the_case_along_and_responses_are_recorded(demo_world):
    case = notify()
    first = _request(case, dt.date(2020, 6, 3))
    second = _request(case, dt.date(2020, 6, 3), agency=police())
    case.refresh_from_db()
    assert case.status == ChildDeath.Status.GATHERING
    services.information_response_record(
        actor=user("cdop.member"),
        request=first,
        received_on=dt.date(2020, 6, 20),
        summary="Records",
        today=TODAY,
    )
    case.refresh_from_db()
    assert case.status == ChildDeath.Status.GATHERING
    services.information_response_record(
        actor=user("cdop.member"),
        request=second,
        received_on=dt.date(2020, 8, 1),
        summary="Late",
        today=TODAY,
    )
    case.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert case.status == ChildDeath.Status.READY
    assert first.met_deadline() is True and second.met_deadline() is False
    assert audit_rows(case, "update").count() == 4


def test_bad_requests_and_responses_are_refused(demo_world):
    case = notify()
    stranger = Agency.objects.create(name="Elsewhere Trust", kind="health")
    with pytest.raises(ValidationError) as refused:
        _request(case, dt.date(2020, 5, 1), agency=stranger)
    assert {"agency", "requested_on"} <= set(refused.value.message_dict)
    request = _request(case, dt.date(2020, 6, 3))
    with pytest.raises(ValidationError) as refused:
        _request(case, dt.date(2020, 6, 4))
    assert "already been asked" in refused.value.message_dict["agency"][0]
    with pytest.raises(ValidationError) as refused:
        services.information_response_record(
            actor=user("business.staffs"),
            request=request,
            received_on=dt.date(2020, 6, 1),
            summary="",
            today=TODAY,
        )
    assert {"received_on", "summary"} <= set(refused.value.message_dict)
    assert InformationRequest.objects.count() == 1
    request.refresh_from_db()
    assert request.received_on is None
