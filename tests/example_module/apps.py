from django.apps import AppConfig


class ExampleModuleConfig(AppConfig):
    """Installed, it registers its contract the way every app does."""

    name = "tests.example_module"
    label = "example_module"
    verbose_name = "Example: home visits"

    def ready(self) -> None:
        from safeguarding.core.modules import register
        from tests.example_module.contract import CONTRACT

        register(CONTRACT)
