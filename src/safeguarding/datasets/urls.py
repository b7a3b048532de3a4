from django.urls import path

from safeguarding.datasets import views

app_name = "datasets"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("imports/add/", views.import_add, name="import-add"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import-status"),
    path("imports/<int:pk>/errors.csv", views.import_errors_csv, name="import-errors-csv"),
    path("annex-a/<int:pk>/", views.annex_a_summary, name="annex-a-summary"),
    path("annex-a/<int:pk>/summary.csv", views.annex_a_summary_csv, name="annex-a-summary-csv"),
]
