from django.urls import path

from safeguarding.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:code>/<str:year>/", views.report, name="report"),
    path("<slug:code>/<str:year>/pdf/", views.report_pdf, name="report-pdf"),
    path("<slug:code>/<str:year>/narrative/", views.narrative_list, name="narrative"),
    path("<slug:code>/<str:year>/narrative/<slug:block>/", views.narrative_edit,
         name="narrative-edit"),
    path("<slug:code>/<str:year>/narrative/<slug:block>/history/", views.narrative_history,
         name="narrative-history"),
    path("<slug:code>/<str:year>/narrative/<slug:block>/<int:number>/", views.narrative_version,
         name="narrative-version"),
    path("<slug:code>/<str:year>/publish/", views.publish, name="publish"),
    path("<slug:code>/<str:year>/published/", views.published_list, name="published-list"),
    path("<slug:code>/<str:year>/published/<int:number>/", views.published, name="published"),
    path("<slug:code>/<str:year>/published/<int:number>/pdf/", views.published_pdf,
         name="published-pdf"),
    path("<slug:code>/<str:year>/commitments/", views.commitments, name="commitments"),
    path("<slug:code>/<str:year>/sent/", views.sends, name="sends"),
]
