from django.urls import path

from safeguarding.children import views

app_name = "children"

urlpatterns = [
    path("", views.child_list, name="list"),
    path("add/", views.child_add, name="add"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/edit/", views.child_edit, name="edit"),
    path("<int:pk>/involvements/add/", views.involvement_add, name="involvement-add"),
]

# --- record linkage review queue (safeguarding.children.linkage) ------------------------------
from safeguarding.children.linkage import views as linkage_views  # noqa: E402

urlpatterns += [
    path("linkage/review/", linkage_views.review_list, name="linkage-review"),
    path("linkage/review/<int:pk>/", linkage_views.review_decide, name="linkage-decide"),
]
