from django.urls import path

from safeguarding.neglect import views

app_name = "neglect"

urlpatterns = [
    path("", views.home, name="home"),
    path("champions/", views.champion_list, name="champions"),
    path("champions/add/", views.champion_add, name="champion-add"),
    path("champions/<int:pk>/step-down/", views.champion_step_down, name="champion-step-down"),
    path("licences/", views.licence_list, name="licences"),
    path("licences/expiring/", views.expiring, name="expiring"),
    path("licences/add/", views.licence_add, name="licence-add"),
    path("licences/<int:pk>/renew/", views.licence_renew, name="licence-renew"),
    path("licences/<int:pk>/withdraw/", views.licence_withdraw, name="licence-withdraw"),
    path("summaries/", views.summary_list, name="summaries"),
    path("summaries/add/", views.summary_add, name="summary-add"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary-detail"),
]
