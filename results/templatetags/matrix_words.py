"""The 重要度×満足度 quadrants in the page's language (#15): ``{{ key|quadrant_name }}``, ``{{ key|quadrant_description }}``.

results.matrix (no Django) names them in Japanese, for the downloads and the
staff pages; these are the same words as msgids, so a page in English or
中文 says "Improve first" where the CSV says 重点改善.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from results.matrix import IMPROVE, KEEP, PRIORITY_IMPROVE, PRIORITY_KEEP

register = template.Library()

QUADRANT_NAMES = {
    PRIORITY_IMPROVE: _("重点改善"),
    PRIORITY_KEEP: _("重点維持"),
    IMPROVE: _("改善"),
    KEEP: _("維持"),
}
QUADRANT_EXPLANATIONS = {
    PRIORITY_IMPROVE: _("重要度が高く、満足度が低い（優先して改善が求められる）"),
    PRIORITY_KEEP: _("重要度が高く、満足度も高い（今後も維持・充実が求められる）"),
    IMPROVE: _("重要度・満足度ともに低い（改善が求められる）"),
    KEEP: _("重要度は低いが、満足度は高い（現状の維持が求められる）"),
}


@register.filter
def quadrant_name(key: str) -> str:
    return str(QUADRANT_NAMES.get(key, ""))


@register.filter
def quadrant_description(key: str) -> str:
    return str(QUADRANT_EXPLANATIONS.get(key, ""))
