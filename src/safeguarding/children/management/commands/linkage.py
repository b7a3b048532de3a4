from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from safeguarding.children.linkage import selectors, services
from safeguarding.core.models import Partnership


class Command(BaseCommand):
    help = ("Show the record linkage model a partnership's imports score with, or train it "
            "again now on the partnership's index and agency records (--train). Imports "
            "train it themselves when none is kept, when the index has changed size by more "
            "than the share in the linkage settings, or when those settings change. "
            "Example: safeguarding linkage --partnership STAFFS --train")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--train", action="store_true",
                            help="Train the model now and keep it for the imports that follow")

    def handle(self, *args, partnership, train, **options):
        found = Partnership.objects.filter(code=partnership.upper()).first()
        if found is None:
            raise CommandError(f"No partnership '{partnership}'. See: safeguarding partnership list")
        if train:
            try:
                services.linkage_model_train(actor=None, partnership=found)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        [item] = selectors.models_in_use(partnerships=[found])
        self.stdout.write(f"Index: {item.children:,} children")
        if item.model is None:
            self.stdout.write(
                "Model: none trained under the present settings; imports use the starting "
                f"values until one brings at least {item.train_min_records:,} records")
            return
        model = item.model
        self.stdout.write(
            f"Model: trained {model.trained_at:%Y-%m-%d %H:%M} on {model.children:,} children "
            f"and {model.records:,} agency records ({model.get_reason_display().lower()})")
        self.stdout.write(f"Trained again when the index changes by more than "
                          f"{item.retrain_percent}% of {model.children:,}")
