from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "safeguarding.children"
    label = "children"
    verbose_name = "Child index"
