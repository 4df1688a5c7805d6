from django.contrib import admin

from nlp.models import DuplicateGroup, SubmissionAnalysis, TopicLabel, TopicModelVersion


@admin.register(SubmissionAnalysis)
class SubmissionAnalysisAdmin(admin.ModelAdmin):
    list_display = [
        "submission",
        "model_version",
        "top_confidence",
        "duplicate_group",
        "analysed_at",
    ]
    list_filter = ["model_version"]
    search_fields = ["submission__receipt_number", "masked_text"]
    raw_id_fields = ["submission", "duplicate_group"]
    # Only the masked text is shown: the admin is not a privileged PII view.
    exclude = ["normalized_text"]
    readonly_fields = [
        "submission",
        "model_version",
        "analysed_at",
        "masked_text",
        "pii_spans",
        "topics",
        "section_topics",
        "top_confidence",
        "key_phrases",
        "duplicate_key",
        "duplicate_group",
        "grouped_at",
    ]


@admin.register(DuplicateGroup)
class DuplicateGroupAdmin(admin.ModelAdmin):
    list_display = ["key", "consultation", "size", "updated_at"]
    list_filter = ["consultation"]
    readonly_fields = ["consultation", "key", "size", "key_phrases", "updated_at"]


@admin.register(TopicLabel)
class TopicLabelAdmin(admin.ModelAdmin):
    list_display = ["submission", "label_id", "confirmed_by", "created"]
    search_fields = ["label_id", "submission__receipt_number"]
    raw_id_fields = ["submission"]


@admin.register(TopicModelVersion)
class TopicModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "created", "n_train", "promoted"]
    list_filter = ["promoted"]
    readonly_fields = [
        "version",
        "created",
        "n_train",
        "metrics",
        "baseline_metrics",
        "promoted",
    ]
