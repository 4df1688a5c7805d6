"""Workbench pages: from submissions to the 意見の概要と市の考え方 table.

Every page works without JavaScript. Access to a case is decided by
``consultation_list_for_workbench``; unknown or foreign cases are 404.

The pages: ``overview`` (a case's groups, ungrouped 意見 and submissions;
seeding), ``items`` (split a submission, move 意見), ``groups`` (one
意見要旨: answer, merge, review, withhold), ``table`` (the table as it
would be published, and as CSV) and ``inspection`` (the 閲覧用の写し of the
submissions, masked, with its 墨塗り記録: printable and as CSV); ``base``
holds what they share.
"""
