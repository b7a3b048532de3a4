from django.urls import path

from safeguarding.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.home, name="home"),
    path("add/", views.briefing_add, name="add"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/file/", views.briefing_file, name="file"),
    path("<int:pk>/use/", views.use_add, name="use-add"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/add/", views.campaign_add, name="campaign-add"),
    path("campaigns/<int:pk>/", views.campaign_edit, name="campaign-edit"),
]
