"""市長への手紙 test data: the 分野 a letter is routed with."""

from letters.models import LetterCategory


def letter_category(code: str = "town-planning", name: str = "まちづくり", *, order: int = 60, active: bool = True):
    """A 分野 of the default list (letters migration 0003), made again where a flush removed it."""
    return LetterCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order, "active": active})[0]
