"""Atom feeds of newly published results, national and per council, with personal feed addresses.

Feed readers cannot sign in, so each signed-in user gets a personal feed address carrying a token
(accounts.tokens: per user, reset from the account page, void once the user is switched off or has
no role). A request with neither a session nor a valid token is sent to sign in (or refused, for a
bad token).
"""

from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from accounts.tokens import feed_token, user_for_feed_token

from . import selectors
from .models import Council

ITEMS = 50
# An event saved again this long after it was created was changed, not just recorded.
CHANGED_AFTER = timedelta(minutes=1)


def personal_feed_url(request, url):
    """`url` (a feed path) as an absolute address carrying the signed-in user's token."""
    return request.build_absolute_uri(f"{url}?token={feed_token(request.user)}")


class PersonalFeed(Feed):
    """An Atom feed that a signed-in session or a personal feed address (`?token=`) opens; mount it
    with login_not_required (feed readers cannot sign in)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        token = request.GET.get("token")
        if token is not None:
            if user_for_feed_token(token) is None:
                raise PermissionDenied("This feed address is not valid any more. Copy your feed address again.")
        elif not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().__call__(request, *args, **kwargs)


class PublishedResultsFeed(PersonalFeed):
    """Newly published reports and letters, newest first; national, or one council's (`slug`)."""

    def get_object(self, request, slug=None):
        return get_object_or_404(Council, slug=slug) if slug else None

    def title(self, council):
        where = council.name if council else "English councils"
        return f"Ofsted results published for {where}"

    def subtitle(self, council):
        return "Inspection reports and letters on children's services, newest first, from the Ofsted judgement tracker."

    def link(self, council):
        return council.get_absolute_url() if council else reverse("inspections:home")

    def feed_url(self, council):
        if council:
            return reverse("inspections:council_feed", args=[council.slug])
        return reverse("inspections:feed_latest")

    def items(self, council):
        return selectors.published_events(council=council, limit=ITEMS)

    def item_title(self, event):
        headline = selectors.headline_judgement(event)
        grade = f": overall {headline.grade.label.lower()}" if headline else ""
        return f"{event.council.name}: {event.display_title}{grade}"

    def item_description(self, event):
        """HTML (the summary is type="html"): paragraphs and a list of judgements, never bare lines."""
        parts = []
        if event.focus:
            parts.append(format_html("<p>Focus: {}</p>", event.focus))
        judgements = event.judgements.all()
        if judgements:
            items = format_html_join("", "<li>{}: {}</li>", ((j.area.name, j.grade.label) for j in judgements))
            parts.append(format_html("<p>Judgements:</p><ul>{}</ul>", items))
        for paragraph in (event.summary or "").split("\n\n"):
            if paragraph.strip():
                parts.append(format_html("<p>{}</p>", " ".join(paragraph.split())))
        return "".join(parts) or format_html("<p>{}</p>", event.get_kind_display())

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(event.published_date, time.min))

    def item_updateddate(self, event):
        """When the entry last changed: its correction time if someone changed it after it was
        first recorded, otherwise its publication (never the time a data load happened to run)."""
        if event.updated_at - event.created_at > CHANGED_AFTER:
            return event.updated_at
        return self.item_pubdate(event)

    def item_author_name(self, event):
        return "Ofsted"

    def item_categories(self, event):
        return [event.get_kind_display(), *([event.framework.short_name] if event.framework_id else [])]
