"""Writes for the comprehensive plan, by what they do.

``plan_import`` creates or updates a plan from a file's data, ``plan_export``
gives a plan back in that file format, and ``entities`` holds the edits of
single rows (plan_entity_save / plan_entity_delete). The 施策 (with their
キーワード, 背景, 単位施策) are the NLP taxonomy, so every edit of the plan
goes through these and is audited with what it changed.
"""
