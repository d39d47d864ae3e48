"""Personal API tokens and feed addresses: creating, revoking and recognising them.

API tokens are 256 random bits shown once; only their SHA-256 digest is stored. A request with
one costs a digest and a cache read (the token's owner is remembered for TOKEN_SECONDS, so a
revoke or a deactivation anywhere takes effect within seconds), and the time it was last used is
written at most once a minute. Feed addresses carry an HMAC of the user, their password hash and
their feed-key generation: no secret is stored, resetting the generation (or the password) stops
every old address, and an address opens nothing once its owner has no role.
"""

import hashlib
import secrets
import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import ApiToken, FeedKey

TOKEN_PREFIX = "ojt_"  # noqa: S105 (not a secret) "Ofsted judgement tracker": recognisable in a leaked file or a secret scanner
TOKEN_SECONDS = 5
USED_EVERY_SECONDS = 60
MAX_LIVE_TOKENS = 10
FEED_SALT = "accounts.tokens.feed"  # noqa: S105 (an HMAC salt, not a secret)


def _digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _cache_key(digest):
    return f"apitoken:{digest}"


def api_token_create(*, user, name):
    """A new read-only token for `user`, named `name`. Returns (ApiToken, the token in clear),
    the only time it is ever available. Raises ValidationError (no name, too many live tokens)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter what the token is for"})
    with transaction.atomic():
        if ApiToken.objects.live().filter(user=user).count() >= MAX_LIVE_TOKENS:
            raise ValidationError(f"You have {MAX_LIVE_TOKENS} tokens already: revoke one you no longer use first")
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], digest=_digest(raw))
        token.full_clean()
        token.save()
    return token, raw


def api_token_revoke(*, token):
    """Stop `token` working (at once in this process, within TOKEN_SECONDS everywhere)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    cache.delete(_cache_key(token.digest))


def user_for_api_token(raw):
    """The active user a live token belongs to, or None. Costs no query when recently seen."""
    from inspections.cache import CachedModelBackend

    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = _digest(raw)
    entry = cache.get(_cache_key(digest))
    if entry is None:
        found = ApiToken.objects.live().filter(digest=digest).values_list("pk", "user_id").first()
        if found is None:
            return None
        entry = found
        cache.set(_cache_key(digest), entry, TOKEN_SECONDS)
    token_id, user_id = entry
    user = CachedModelBackend().get_user(user_id)
    if user is not None:
        _record_use(token_id, digest)
    return user


_last_recorded = {}  # token digest: monotonic time this process last asked to record a use


def _record_use(token_id, digest):
    """Write last_used_at at most once a minute per token (across workers, by a cache marker)."""
    now = time.monotonic()
    if now - _last_recorded.get(digest, -USED_EVERY_SECONDS) < USED_EVERY_SECONDS:
        return
    _last_recorded[digest] = now
    if cache.add(f"apitoken-used:{token_id}", 1, USED_EVERY_SECONDS):
        ApiToken.objects.filter(pk=token_id).update(last_used_at=timezone.now())


# Feed addresses ------------------------------------------------------------------------------------


def _generation(user):
    return FeedKey.objects.filter(user=user).values_list("generation", flat=True).first() or 0


def feed_token(user):
    """The token of `user`'s personal feed addresses: "<user id>-<hmac>"."""
    value = f"{user.pk}:{user.password}:{_generation(user)}"
    return f"{user.pk}-{salted_hmac(FEED_SALT, value, algorithm='sha256').hexdigest()[:40]}"


def user_for_feed_token(token):
    """The active user with a role whose feed token this is, or None."""
    from inspections.cache import CachedModelBackend
    from inspections.roles import role_of

    pk, _sep, _digest = (token or "").partition("-")
    if not pk.isdigit():
        return None
    user = CachedModelBackend().get_user(int(pk))
    if user is None or not constant_time_compare(feed_token(user), token) or role_of(user) is None:
        return None
    return user


def feed_key_reset(*, user):
    """Stop every feed address `user` has handed out; new addresses are shown from now on."""
    with transaction.atomic():
        key, _created = FeedKey.objects.select_for_update().get_or_create(user=user)
        key.generation += 1
        key.save()
