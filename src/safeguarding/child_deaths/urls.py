from django.urls import path

from safeguarding.child_deaths import views

app_name = "child_deaths"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("notify/", views.notify, name="notify"),
    path("due/", views.due, name="due"),
    path("exports/", views.period_export, name="exports"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:pk>/toggle/", views.theme_toggle, name="theme-toggle"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/joint-agency-response/", views.jar_record, name="jar"),
    path("<int:pk>/requests/add/", views.request_add, name="request-add"),
    path(
        "<int:pk>/requests/<int:request_pk>/response/",
        views.request_response,
        name="request-response",
    ),
    path("<int:pk>/review/", views.review_record, name="review"),
    path("<int:pk>/export.<str:fmt>", views.case_export, name="case-export"),
]
