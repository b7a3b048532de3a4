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
