from django.urls import path

from safeguarding.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/add/", views.body_add, name="body-add"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/terms/", views.terms_add, name="terms-add"),
    path("bodies/<int:pk>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("bodies/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("bodies/<int:pk>/registers/add/", views.register_add, name="register-add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/decision/", views.decision_add, name="decision-add"),
    path("meetings/<int:pk>/minutes/", views.minutes_add, name="minutes-add"),
    path("meetings/<int:pk>/paper/", views.paper_add, name="paper-add"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/overdue/", views.overdue, name="overdue"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/close/", views.action_close, name="action-close"),
    path("actions/<int:pk>/carry/", views.action_carry, name="action-carry"),
    path("registers/", views.register_list, name="register-list"),
    path("registers/<int:pk>/", views.register_detail, name="register-detail"),
    path("registers/<int:pk>/risks/add/", views.risk_add, name="risk-add"),
    path("registers/<int:pk>/close/", views.register_close, name="register-close"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk-review"),
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/add/", views.priority_add, name="priority-add"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
    path("priorities/<int:pk>/objectives/add/", views.objective_add, name="objective-add"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/add/", views.commitment_add, name="commitment-add"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment-detail"),
    path("commitments/<int:pk>/update/", views.commitment_update, name="commitment-update"),
]
