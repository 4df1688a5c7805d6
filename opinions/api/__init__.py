"""Staff API for the パブリック・コメント workbench (groups and responses).

The same selectors and services as the workbench pages decide access and
do the writes: a case outside the user's department is 404, a step the
user may not take is 403, and item texts are masked unless the user may
see personal data.

The endpoints: ``groups`` (list, counts, seed, a group's detail, update,
review and withholding) and ``items`` (move items, split a submission);
``serializers`` holds their input and output shapes, ``base`` what every
endpoint shares. The views are re-exported here for config/api_urls.py.
"""

from opinions.api.groups import (
    OpinionCountsApi,
    OpinionGroupDetailApi,
    OpinionGroupListApi,
    OpinionGroupReviewApi,
    OpinionGroupSeedApi,
    OpinionGroupWithholdApi,
)
from opinions.api.items import OpinionItemMoveApi, SubmissionSplitApi

__all__ = [
    "OpinionCountsApi",
    "OpinionGroupDetailApi",
    "OpinionGroupListApi",
    "OpinionGroupReviewApi",
    "OpinionGroupSeedApi",
    "OpinionGroupWithholdApi",
    "OpinionItemMoveApi",
    "SubmissionSplitApi",
]
