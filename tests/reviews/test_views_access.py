"""Every review page for every role: who may open it, and who is refused.

The roles are the demo sign-ins: the Staffordshire business unit (owner), the Stoke-on-Trent
business unit (practice reviews are shared with it), a Staffordshire board member, a member of
the Practice Reviews sub-group (at the police), a member of another sub-group, an analyst, a
police practitioner (the police own the action), a social worker, a school key adult and the
system administrator.
"""

import pytest
from django.urls import reverse

USERS = ["admin", "business.staffs", "business.stoke", "board.police", "reviews.member",
         "scrutiny.member", "analyst.staffs", "police.officer", "social.worker",
         "key.adult.brook"]

EVERY_LEVEL = {"business.staffs", "business.stoke", "board.police", "reviews.member"}
FULL_READ = {"business.staffs", "business.stoke", "reviews.member"}
OWNER = {"business.staffs"}
ANY_BUSINESS_UNIT = {"business.staffs", "business.stoke"}
CONTRIBUTE = {"business.staffs", "reviews.member"}
ACTIONS = EVERY_LEVEL | {"police.officer", "social.worker", "key.adult.brook"}
THEMES = {"admin", "business.staffs", "business.stoke"}
THEME_OWNER = {"admin", "business.staffs"}  # the theme in `records` is Staffordshire's
STATISTICS = EVERY_LEVEL | {"analyst.staffs"}
OPEN = ACTIONS | STATISTICS | THEMES

PAGES = [
    ("reviews:home", None, OPEN),
    ("reviews:incident-list", None, EVERY_LEVEL),
    ("reviews:incident-add", None, ANY_BUSINESS_UNIT),
    ("reviews:incident-detail", "incident", EVERY_LEVEL),
    ("reviews:incident-edit", "incident", OWNER),
    ("reviews:incident-notify", "incident", OWNER),
    ("reviews:rapid-review", "incident", EVERY_LEVEL),
    ("reviews:rapid-review-edit", "incident", OWNER),
    ("reviews:rapid-review-decision", "incident", OWNER),
    ("reviews:rapid-review-panel-response", "incident", OWNER),
    ("reviews:agency-return-add", "incident", CONTRIBUTE),
    ("reviews:chronology-add", "incident", CONTRIBUTE),
    ("reviews:rapid-review-finding-add", "incident", CONTRIBUTE),
    ("reviews:agency-return-edit", "return", CONTRIBUTE),
    ("reviews:practice-review-list", None, EVERY_LEVEL),
    ("reviews:practice-review-add", None, ANY_BUSINESS_UNIT),
    ("reviews:practice-review-detail", "practice", EVERY_LEVEL),
    ("reviews:practice-review-edit", "practice", OWNER),
    ("reviews:practice-review-publish", "practice", OWNER),
    ("reviews:practice-review-defer", "practice", OWNER),
    ("reviews:practice-review-finding-add", "practice", CONTRIBUTE),
    ("reviews:recommendation-add", "finding", CONTRIBUTE),
    ("reviews:action-add", "recommendation", CONTRIBUTE),
    ("reviews:action-list", None, ACTIONS),
    ("reviews:action-update", "action", CONTRIBUTE | {"police.officer"}),
    ("reviews:due", None, ACTIONS),
    ("reviews:learning-list", None, EVERY_LEVEL),
    ("reviews:learning-add", None, CONTRIBUTE | ANY_BUSINESS_UNIT),
    ("reviews:theme-list", None, THEMES),
    ("reviews:theme-add", None, THEMES),
    ("reviews:theme-edit", "theme", THEME_OWNER),
    ("reviews:statistics", None, STATISTICS),
]


@pytest.mark.parametrize(("name", "key", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_for_each_role(records, client_for, name, key, allowed):
    url = reverse(name, args=[records[key].pk] if key else [])
    for username in USERS:
        response = client_for(username).get(url)
        expected = 200 if username in allowed else 403
        assert response.status_code == expected, (username, url, response.status_code)


def test_every_url_name_is_in_the_matrix():
    from safeguarding.reviews.urls import urlpatterns

    assert {f"reviews:{p.name}" for p in urlpatterns} == {name for name, _, _ in PAGES}


def test_signed_out_people_are_sent_to_sign_in(records, client):
    response = client.get(reverse("reviews:incident-detail", args=[records["incident"].pk]))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]
