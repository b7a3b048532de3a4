from django.urls import path

from safeguarding.audits import views

app_name = "audits"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/add/", views.programme_add, name="programme-add"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/audits/add/", views.audit_add, name="audit-add"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("<int:pk>/questions/add/", views.question_add, name="question-add"),
    path("<int:pk>/draw/", views.sample_draw, name="sample-draw"),
    path("<int:pk>/open/", views.returns_open, name="returns-open"),
    path("<int:pk>/findings/add/", views.finding_add, name="finding-add"),
    path("<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("<int:pk>/complete/", views.audit_complete, name="audit-complete"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("returns/<int:pk>/", views.return_edit, name="return-edit"),
]
