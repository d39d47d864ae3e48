"""Personal API tokens (stored as a SHA-256 digest, never in clear) and per-user feed keys."""

from django.conf import settings
from django.db import models


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for scripts: `Authorization: Bearer <token>` on the read-only API.

    Only its SHA-256 digest is stored (a token is 256 random bits, so a fast digest is as safe as
    a slow password hash, and costs microseconds per request instead of a second). `prefix` is
    the token's first characters, shown so the owner can tell tokens apart.
    """

    SCOPE_READ = "read"
    SCOPES = [(SCOPE_READ, "Read only")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, for example the script that uses it")
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=SCOPES, default=SCOPE_READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self):
        return self.revoked_at is None


class FeedKey(models.Model):
    """Which generation of feed addresses a user's are: resetting it stops every old address.

    No row means generation 0, so showing a feed address never writes.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key")
    generation = models.PositiveIntegerField(default=0)
    reset_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Feed addresses of {self.user}, generation {self.generation}"


class FormSubmission(models.Model):
    """A create form's one-use submit token, claimed in the same transaction as what it creates:
    a replayed or double-clicked post finds it taken and is shown what the first one made."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Form submission {self.token[:8]}… by {self.user}"
