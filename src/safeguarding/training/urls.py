from django.urls import path

from safeguarding.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-bookings/", views.my_bookings, name="my-bookings"),
    path("approve/<str:token>/", views.approve, name="approve"),
]
