from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor security code for a demo user."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                           name="Demo authenticator").first()
        if device is None:
            raise CommandError(f"No demo authenticator for '{username}'")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                    drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
