"""A URL configuration for the API tests: the project's URLs plus the child death router
on its own API instance, as it will be once mounted on the project API."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from ninja import NinjaAPI

from safeguarding.api.router import TwoFactorSession
from safeguarding.child_deaths.api import router
from safeguarding.config.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(auth=[TwoFactorSession()], urls_namespace="child-deaths-test-api", docs_url=None)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "You do not have access"}, status=403)


api.add_router("/child-deaths/", router, url_name_prefix="test")

# Under /api/ so the two-factor middleware leaves it to the API to answer (401, not 302).
urlpatterns = [*project_urlpatterns, path("api/child-deaths-test/", api.urls)]
