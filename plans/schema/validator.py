"""The field readers of the plan validator: each checks one value's type and
limits and records an error message citing the file line it came from."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from plans.loader import Path, path_label

MAX_DECIMAL_PLACES = 2
MAX_ABS_VALUE = Decimal("1e10")


def field_max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class Validator:
    def __init__(self, source_name: str, lines: dict[Path, int]):
        self.source_name = source_name
        self.lines = lines
        self.errors: list[str] = []

    def error(self, path: Path, message: str) -> None:
        line = next(
            (self.lines[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.lines),
            None,
        )
        where = f"{self.source_name}:{line}" if line else self.source_name
        self.errors.append(f"{where}: {path_label(path)}: {message}")

    def mapping(self, value: Any, path: Path, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("「項目名: 値」の形式で入力してください"))
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    (*path, key),
                    _("不明な項目です（使える項目: %(allowed)s）") % {"allowed": ", ".join(allowed)},
                )
        return value

    def items(self, obj: dict, key: str, path: Path, *, required: bool = False) -> list:
        value = obj.get(key)
        if value is None:
            if required:
                self.error((*path, key), _("必須項目です"))
            return []
        if not isinstance(value, list):
            self.error((*path, key), _("リストで入力してください"))
            return []
        if required and not value:
            self.error((*path, key), _("1件以上入力してください"))
        return value

    def text(
        self,
        obj: dict,
        key: str,
        path: Path,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.error((*path, key), _("必須項目です"))
            return ""
        if not isinstance(value, str):
            self.error((*path, key), _("文字列で入力してください"))
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(
                (*path, key),
                _("%(max)d 文字以内で入力してください") % {"max": max_length},
            )
        return value

    def texts(self, obj: dict, key: str, path: Path, *, required: bool = False) -> list[str]:
        result = []
        for i, item in enumerate(self.items(obj, key, path, required=required)):
            if isinstance(item, str) and item.strip():
                result.append(item.strip())
            else:
                self.error((*path, key, i), _("空でない文字列で入力してください"))
        return result

    def integer(self, obj: dict, key: str, path: Path, *, required: bool = False) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error((*path, key), _("必須項目です"))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error((*path, key), _("0以上の整数で入力してください"))
            return None
        return value

    def number(self, obj: dict, key: str, path: Path) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
            self.error((*path, key), _("数値で入力してください"))
            return None
        value = Decimal(value)
        if -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
            self.error(
                (*path, key),
                _("小数点以下は%(places)d桁までで入力してください") % {"places": MAX_DECIMAL_PLACES},
            )
        elif abs(value) >= MAX_ABS_VALUE:
            self.error((*path, key), _("数値が大きすぎます"))
        return value

    def unique(self, seen: set, value: Any, path: Path) -> None:
        if value in seen:
            self.error(path, _("「%(value)s」が重複しています") % {"value": value})
        seen.add(value)
