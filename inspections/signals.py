"""Invalidate cached pages, charts and briefings whenever tracked data changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache

TRACKED = {
    "Council",
    "StatisticalNeighbour",
    "Event",
    "Judgement",
    "Recommendation",
    "RecommendationUpdate",
    "Framework",
    "Grade",
}


def _changed(sender, **kwargs):
    if sender.__name__ in TRACKED and sender._meta.app_label == "inspections":
        cache.bump_data_version()


post_save.connect(_changed, dispatch_uid="inspections-data-changed-save")
post_delete.connect(_changed, dispatch_uid="inspections-data-changed-delete")
m2m_changed.connect(_changed, dispatch_uid="inspections-data-changed-m2m")
