"""Issue 11, finding 6a: a joint panel's child death themes belong to the partnership that
hosts the panel (the owner of the child_death_review share); only its business unit
manages them. In the demo STAFFS hosts the panel and shares it with STOKE."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.child_deaths import services
from safeguarding.child_deaths.models import Theme
from tests.child_deaths.helpers import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_theme(demo_world):
    return services.theme_add(actor=user("business.staffs"), name="Button batteries")


def test_the_hosts_business_unit_owns_the_panels_new_theme(panel_theme):
    assert panel_theme.partnership.code == "STAFFS"


def test_the_sharing_partnerships_business_unit_cannot_manage_the_panels_themes(
        panel_theme, client_for):
    client = client_for("business.stoke")
    assert client.get(reverse("child_deaths:themes")).status_code == 403
    assert client.post(reverse("child_deaths:themes"), {"name": "Stoke's own"}).status_code == 403
    toggle = reverse("child_deaths:theme-toggle", args=[panel_theme.pk])
    assert client.post(toggle).status_code == 403
    panel_theme.refresh_from_db()
    assert panel_theme.active
    with pytest.raises(PermissionDenied):
        services.theme_set_active(actor=user("business.stoke"), theme=panel_theme, active=False)
    with pytest.raises(PermissionDenied):
        services.theme_add(actor=user("business.stoke"), name="Stoke's own")
    panel_theme.refresh_from_db()
    assert panel_theme.active
    assert not Theme.objects.filter(name="Stoke's own").exists()


def test_the_hosts_business_unit_retires_and_restores_the_panels_theme(panel_theme, client_for):
    client = client_for("business.staffs")
    toggle = reverse("child_deaths:theme-toggle", args=[panel_theme.pk])
    assert client.post(toggle).status_code == 302
    panel_theme.refresh_from_db()
    assert not panel_theme.active
    assert client.post(toggle).status_code == 302
    panel_theme.refresh_from_db()
    assert panel_theme.active


def test_no_business_unit_retires_a_theme_of_the_national_list(demo_world, client_for):
    national = Theme.objects.get(key="smoking")
    assert national.partnership_id is None
    toggle = reverse("child_deaths:theme-toggle", args=[national.pk])
    for username in ("business.staffs", "business.stoke"):
        assert client_for(username).post(toggle).status_code == 403, username
    national.refresh_from_db()
    assert national.active
