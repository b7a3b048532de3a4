from django.urls import include, path

from safeguarding.api.router import api

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("children/", include("safeguarding.children.urls")),
    path("data/", include("safeguarding.datasets.urls")),
    path("dashboard/", include("safeguarding.measures.urls")),
    path("reviews/", include("safeguarding.reviews.urls")),
    path("child-deaths/", include("safeguarding.child_deaths.urls")),
    path("restraint/", include("safeguarding.restraint.urls")),
    path("training/", include("safeguarding.training.urls")),
    path("governance/", include("safeguarding.governance.urls")),
    path("audits/", include("safeguarding.audits.urls")),
    path("missing/", include("safeguarding.missing.urls")),
    path("encompass/", include("safeguarding.encompass.urls")),
    path("policies/", include("safeguarding.policies.urls")),
    path("neglect/", include("safeguarding.neglect.urls")),
    path("briefings/", include("safeguarding.briefings.urls")),
    path("exploitation/", include("safeguarding.exploitation.urls")),
    path("voice/", include("safeguarding.voice.urls")),
    path("covid-followup/", include("safeguarding.covid_followup.urls")),
    path("reports/", include("safeguarding.reports.urls")),
    path("api/", api.urls),
]

handler403 = "safeguarding.core.views.errors.forbidden"
handler404 = "safeguarding.core.views.errors.not_found"
