from django.urls import path

from safeguarding.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("<slug:code>/measures/<slug:indicator_id>/", views.measure, name="measure"),
    path("<slug:code>/measures/<slug:indicator_id>/children/", views.measure_children,
         name="measure-children"),
    path("<slug:code>/board-pack.pdf", views.board_pack, name="board-pack"),
    path("<slug:code>/<slug:theme>/overview/", views.overview_page, name="overview"),
    path("<slug:code>/<slug:theme>/", views.theme, name="theme"),
    path("<slug:code>/<slug:theme>.<str:fmt>", views.theme_download, name="theme-download"),
]
