"""Mark cached pages, charts and briefings stale when the data they show changes (inspections.cache)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache

# Each tracked model and the scope of cached output that shows it.
SCOPES = {
    "Council": cache.NATIONAL,
    "StatisticalNeighbour": cache.NATIONAL,
    "Event": cache.NATIONAL,
    "Judgement": cache.NATIONAL,
    "Framework": cache.NATIONAL,
    "Grade": cache.NATIONAL,
    "Recommendation": cache.NOTES,
    "RecommendationUpdate": cache.NOTES,
}


def _changed(sender, **kwargs):
    scope = SCOPES.get(sender.__name__)
    if scope is not None and sender._meta.app_label == "inspections":
        cache.bump(scope)


post_save.connect(_changed, dispatch_uid="inspections-data-changed-save")
post_delete.connect(_changed, dispatch_uid="inspections-data-changed-delete")
m2m_changed.connect(_changed, dispatch_uid="inspections-data-changed-m2m")
