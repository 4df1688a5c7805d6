"""``manage.py nlp_train``: train a topic model from confirmed labels."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nlp.training import MIN_TRAINING_LABELS, NotEnoughLabels, topic_model_train


class Command(BaseCommand):
    help = "職員が確認した分類から分類モデルを学習し、劣化しない場合のみ採用します。"

    def add_arguments(self, parser):
        parser.add_argument("--min-labels", type=int, default=MIN_TRAINING_LABELS)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, min_labels, seed, **options):
        try:
            outcome = topic_model_train(min_labels=min_labels, seed=seed, encoder_name=settings.KOE_NLP_ENCODER)
        except NotEnoughLabels as exc:
            raise CommandError(str(exc)) from exc
        row = outcome.row
        self.stdout.write(f"version {row.version}: trained on {row.n_train} labels")
        self.stdout.write(f"  candidate {row.metrics}")
        self.stdout.write(f"  current   {row.baseline_metrics}")
        verdict = "promoted" if outcome.promoted else "not promoted (worse than current)"
        self.stdout.write(self.style.SUCCESS(verdict) if outcome.promoted else verdict)
