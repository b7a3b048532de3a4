"""Issue 11, finding 6a: a business unit manages only its own partnership's review themes.

The national list (themes no partnership owns) is looked after by system administrators.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.core.models import User
from safeguarding.reviews import services
from safeguarding.reviews.models import Theme

pytestmark = pytest.mark.django_db


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def staffs_theme(demo_world):
    return services.theme_add(actor=person("business.staffs"), name="County lines exploitation",
                              source="Staffordshire audit")


@pytest.fixture
def national_theme(demo_world):
    return Theme.objects.filter(partnership__isnull=True).order_by("pk").first()


def _edit(theme: Theme, **changes) -> dict:
    data = {"name": theme.name, "description": theme.description, "source": theme.source,
            "active": "on" if theme.active else ""}
    data.update(changes)
    return data


def test_a_business_units_new_theme_belongs_to_its_partnership(staffs_theme):
    assert staffs_theme.partnership.code == "STAFFS"


def test_another_business_unit_cannot_open_rename_or_retire_it(staffs_theme, client_for):
    client = client_for("business.stoke")
    url = reverse("reviews:theme-edit", args=[staffs_theme.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, _edit(staffs_theme, name="Renamed by Stoke", active=""))
    assert response.status_code == 403
    staffs_theme.refresh_from_db()
    assert (staffs_theme.name, staffs_theme.active) == ("County lines exploitation", True)
    with pytest.raises(PermissionDenied):
        services.theme_update(actor=person("business.stoke"), theme=staffs_theme,
                              name="Renamed by Stoke", description="", source="", active=False)
    staffs_theme.refresh_from_db()
    assert staffs_theme.active
    page = client.get(reverse("reviews:theme-list")).content.decode()
    assert url not in page


def test_the_owning_business_unit_renames_and_retires_it(staffs_theme, client_for):
    client = client_for("business.staffs")
    url = reverse("reviews:theme-edit", args=[staffs_theme.pk])
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("reviews:theme-list")).content.decode()
    response = client.post(url, _edit(staffs_theme, name="County lines", active=""))
    assert response.status_code == 302
    staffs_theme.refresh_from_db()
    assert (staffs_theme.name, staffs_theme.active) == ("County lines", False)


def test_a_business_unit_cannot_add_a_theme_for_another_partnership(demo_world):
    from safeguarding.core.models import Partnership

    with pytest.raises(PermissionDenied):
        services.theme_add(actor=person("business.stoke"), name="Stoke adds for Staffs",
                           partnership=Partnership.objects.get(code="STAFFS"))
    assert not Theme.objects.filter(name="Stoke adds for Staffs").exists()


def test_only_a_system_administrator_changes_the_national_list(national_theme, client_for):
    url = reverse("reviews:theme-edit", args=[national_theme.pk])
    for username in ("business.staffs", "business.stoke"):
        assert client_for(username).get(url).status_code == 403, username
        with pytest.raises(PermissionDenied):
            services.theme_update(actor=person(username), theme=national_theme,
                                  name=national_theme.name, description="", source="",
                                  active=False)
    national_theme.refresh_from_db()
    assert national_theme.active
    admin = client_for("admin")
    assert admin.get(url).status_code == 200
    assert admin.post(url, _edit(national_theme, active="")).status_code == 302
    national_theme.refresh_from_db()
    assert not national_theme.active
