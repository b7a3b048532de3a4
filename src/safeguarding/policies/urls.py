from django.urls import path

from safeguarding.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("add/", views.policy_add, name="policy-add"),
    path("<int:pk>/", views.policy, name="policy"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/versions/add/", views.version_add, name="version-add"),
    path("<int:pk>/review/", views.review, name="review"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/file/", views.version_file, name="version-file"),
]
