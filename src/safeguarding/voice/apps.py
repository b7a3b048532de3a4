from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "safeguarding.voice"
    label = "voice"
    verbose_name = "Voice of children, families and practitioners"

    def ready(self) -> None:
        from safeguarding.core.capabilities import CAPABILITIES, Capability
        from safeguarding.core.modules import register
        from safeguarding.voice import rules  # noqa: F401  (registers the permissions)
        from safeguarding.voice.contract import CONTRACT

        register(CONTRACT)
        if not any(c.key == "voice" for c in CAPABILITIES):
            CAPABILITIES.append(Capability(
                "voice", "Voice of children, families and practitioners",
                "Surveys of children, families and practitioners, their coded free text, and "
                "what the partnership did about what they said.", "voice:home", "voice.view"))
