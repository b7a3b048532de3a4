from django.urls import path

from safeguarding.restraint import views

app_name = "restraint"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:est>/incidents/", views.incident_list, name="incident-list"),
    path("<int:est>/incidents/add/", views.incident_add, name="incident-add"),
    path("<int:est>/import/", views.incident_import, name="import"),
    path("<int:est>/due/", views.due, name="due"),
    path("<int:est>/samples/", views.sample_list, name="sample-list"),
    path("<int:est>/insight/", views.insight, name="insight"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/review/", views.incident_review, name="incident-review"),
    path("samples/<int:pk>/", views.sample_detail, name="sample-detail"),
    path("sample-items/<int:pk>/", views.sample_item, name="sample-item"),
]
