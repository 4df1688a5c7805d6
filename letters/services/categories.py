"""The 分野 list of 市長への手紙, edited by admins (Django admin); every change is audited."""

from django.db import transaction

from core.services import audit_record
from letters.models import LetterCategory

FIELDS = ("code", "name", "order", "active")


def _snapshot(category: LetterCategory) -> dict:
    return {name: getattr(category, name) for name in FIELDS}


@transaction.atomic
def letter_category_save(*, actor, category: LetterCategory) -> LetterCategory:
    """Create or change a 分野 with the values set on ``category`` (validated first)."""
    before = None
    if category.pk is not None:
        stored = LetterCategory.objects.select_for_update().get(pk=category.pk)
        before = _snapshot(stored)
    category.full_clean()
    category.save()
    after = _snapshot(category)
    if before == after:
        return category
    audit_record(
        actor=actor,
        action="letter_category.update" if before else "letter_category.create",
        target=category,
        summary=category.name,
        before=before,
        after=after,
    )
    return category


@transaction.atomic
def letter_category_delete(*, actor, category: LetterCategory) -> None:
    """Delete a 分野 no letter has (one in use is PROTECTed: make it inactive instead)."""
    before = _snapshot(category)
    audit_record(
        actor=actor,
        action="letter_category.delete",
        target=category,
        summary=category.name,
        before=before,
    )
    category.delete()
