import pytest

from safeguarding.core.models import Partnership, User


@pytest.fixture
def staffs(demo_world):
    return Partnership.objects.get(code="STAFFS")


@pytest.fixture
def stoke(demo_world):
    return Partnership.objects.get(code="STOKE")


@pytest.fixture
def business(demo_world):
    return User.objects.get(username="business.staffs")
