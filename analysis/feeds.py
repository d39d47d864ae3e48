"""What changed since a date, as an Atom feed: the same rows as the changes CSV, newest first.

Opened by a session or a personal feed address, like the published-results feeds
(inspections.feeds.PersonalFeed).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from inspections.feeds import PersonalFeed
from inspections.models import Grade, RecommendationStatus

from . import selectors
from .columns import link_for_request
from .forms import SinceForm

ITEMS = 200  # the newest changes; the CSV holds them all
CHANGE_LABELS = {
    "published": "Published",
    "grade_changed": "Grade changed",
    "entered_intervention": "Entered government intervention",
    "left_intervention": "Left government intervention",
    "recommendation_status": "Recommendation status updated",
}


@dataclass
class FeedChanges:
    since: datetime.date
    rows: list  # the changes CSV's rows as dicts, with the labels of `previous` and `new`


class ChangesFeed(PersonalFeed):
    """`?since=YYYY-MM-DD` (default a month ago): each change of the changes CSV as an entry, newest
    first (at most ITEMS). A wrong date is a 400 naming it. Eight queries."""

    def get_object(self, request):
        form = SinceForm(request.GET)
        if request.GET.get("since") and not form.is_valid():
            raise BadRequest(f"since: {' '.join(form.errors['since'])}")
        changes = selectors.changes_since(since=form.since_or_default(), until=timezone.localdate())
        sheet = selectors.changes_sheet(changes, link_for=link_for_request(request))
        labels = {**dict(Grade.objects.values_list("key", "label")), **dict(RecommendationStatus.choices)}
        rows = []
        for values in sheet.rows:
            row = dict(zip(sheet.headers, values, strict=True))
            row["previous_label"] = labels.get(row["previous"], row["previous"])
            row["new_label"] = labels.get(row["new"], row["new"])
            rows.append(row)
        return FeedChanges(changes.since, sorted(rows, key=lambda row: row["date"], reverse=True)[:ITEMS])

    def title(self, changes):
        return f"What changed since {changes.since:%-d %B %Y}: Ofsted judgements of children's services"

    def subtitle(self, changes):
        return (
            "Reports and letters published, grades changed, government intervention begun or ended, and "
            "recommendation status updates, newest first, from the Ofsted judgement tracker."
        )

    def link(self, changes):
        return f"{reverse('analysis:changes')}?since={changes.since:%Y-%m-%d}"

    def feed_url(self, changes):
        return reverse("analysis:changes_feed")

    def items(self, changes):
        return changes.rows

    def item_title(self, row):
        title = f"{row['council']}: {CHANGE_LABELS[row['change']]}: {row['what']}"
        if row["new"]:
            before = f"{row['previous_label']} to " if row["previous"] else ""
            title += f" ({before}{row['new_label']})"
        return title

    def item_description(self, row):
        parts = [format_html("<p>{}</p>", row["what"])]
        if row["previous"]:
            parts.append(format_html("<p>Before: {}. Now: {}.</p>", row["previous_label"], row["new_label"]))
        elif row["new"]:
            parts.append(format_html("<p>Now: {}.</p>", row["new_label"]))
        if row["ofsted_link"]:
            parts.append(format_html('<p><a href="{}">The report on Ofsted\'s website</a></p>', row["ofsted_link"]))
        return "".join(parts)

    def item_link(self, row):
        return row["tracker_link"]

    def item_guid(self, row):
        """The same change keeps its id on every fetch, so a feed reader shows it once."""
        key = "|".join(str(row[k]) for k in ("change", "date", "council_urn", "what", "previous", "new"))
        return f"{row['tracker_link']}#change-{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    item_guid_is_permalink = False

    def item_pubdate(self, row):
        return timezone.make_aware(datetime.datetime.combine(row["date"], datetime.time.min))

    def item_updateddate(self, row):
        """A change happens once, on its date (Atom requires each entry to say when it last changed)."""
        return self.item_pubdate(row)

    def item_author_name(self, row):
        return "Ofsted judgement tracker"

    def item_categories(self, row):
        return [CHANGE_LABELS[row["change"]]]
