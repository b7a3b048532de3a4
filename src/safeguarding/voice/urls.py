from django.urls import path

from safeguarding.voice import views

app_name = "voice"

urlpatterns = [
    path("", views.home, name="home"),
    path("surveys/add/", views.survey_add, name="survey-add"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/questions/add/", views.question_add, name="question-add"),
    path("surveys/<int:pk>/codes/add/", views.code_add, name="code-add"),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey-open"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey-close"),
    path("surveys/<int:pk>/import/", views.responses_import, name="import"),
    path("surveys/<int:pk>/template.csv", views.template_csv, name="template"),
    path("surveys/<int:pk>/coding/", views.coding, name="coding"),
    path("surveys/<int:pk>/you-said/add/", views.you_said_add, name="you-said-add"),
    path("answers/<int:pk>/code/", views.answer_code, name="answer-code"),
    path("you-said-we-did/", views.you_said_list, name="you-said-list"),
    path("respond/<str:token>/", views.respond, name="respond"),
    path("respond/<str:token>/thank-you/", views.respond_done, name="respond-done"),
]
