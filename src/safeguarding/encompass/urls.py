from django.urls import path

from safeguarding.encompass import views

app_name = "encompass"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/schools/", views.schools, name="schools"),
    path("<str:code>/schools/add/", views.school_add, name="school-add"),
    path("schools/<int:pk>/", views.school_edit, name="school-edit"),
    path("<str:code>/incidents/", views.incidents, name="incidents"),
    path("<str:code>/incidents/add/", views.incident_add, name="incident-add"),
    path("<str:code>/import/", views.incident_import, name="import"),
    path("<str:code>/escalation/", views.escalation, name="escalation"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("notifications/<int:pk>/", views.notification_detail, name="notification"),
    path("notifications/<int:pk>/acknowledge/", views.notification_acknowledge,
         name="acknowledge"),
]
