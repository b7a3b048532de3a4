from django.urls import path

from safeguarding.missing import views

app_name = "missing"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/episodes/", views.episode_list, name="episode-list"),
    path("<str:code>/episodes/add/", views.episode_add, name="episode-add"),
    path("<str:code>/import/", views.episode_import, name="import"),
    path("<str:code>/due/", views.due, name="due"),
    path("<str:code>/strategic-missing-group/", views.smg, name="smg"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode-detail"),
    path("episodes/<int:pk>/return/", views.episode_return, name="episode-return"),
    path("episodes/<int:pk>/interview/", views.interview, name="interview"),
]
