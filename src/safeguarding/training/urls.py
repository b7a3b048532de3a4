from django.urls import path

from safeguarding.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-bookings/", views.my_bookings, name="my-bookings"),
    path("sessions/<int:pk>/book/", views.session_book, name="session-book"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/accept/", views.booking_accept, name="booking-accept"),
    path("bookings/<int:pk>/evaluate/", views.booking_evaluate, name="booking-evaluate"),
    path("approve/<str:token>/", views.approve, name="approve"),
    path("manage/<int:partnership>/", views.manage, name="manage"),
    path("manage/<int:partnership>/courses/add/", views.course_add, name="course-add"),
    path("manage/courses/<int:pk>/sessions/add/", views.session_add, name="session-add"),
    path("manage/sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("manage/<int:partnership>/charges/", views.charges, name="charges"),
    path("manage/charges/<int:pk>/waive/", views.charge_waive, name="charge-waive"),
    path("manage/<int:partnership>/invoices/", views.invoices, name="invoices"),
    path("manage/<int:partnership>/invoices.csv", views.invoices_csv, name="invoices-csv"),
    path("manage/<int:partnership>/organisations/", views.organisations, name="organisations"),
    path("manage/organisations/<int:pk>/", views.organisation_edit, name="organisation-edit"),
    path("manage/<int:partnership>/elearning/", views.elearning_import, name="elearning-import"),
    path("my-record/", views.my_record, name="my-record"),
    path("manage/<int:partnership>/refreshers/", views.refreshers, name="refreshers"),
    path("manage/<int:partnership>/coverage/", views.coverage, name="coverage"),
]
