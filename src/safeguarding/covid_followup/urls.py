from django.urls import path

from safeguarding.covid_followup import views

app_name = "covid_followup"

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_extract, name="import"),
    path("weeks/<str:week>/", views.week, name="week"),
    path("records/<int:pk>/follow-up/", views.follow_up, name="follow-up"),
]
