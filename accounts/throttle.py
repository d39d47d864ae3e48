"""Sign-in throttling beyond django-axes: per address across usernames, and a ceiling on password checks.

django-axes locks a username from one address after AXES_FAILURE_LIMIT wrong passwords. That does
not stop one address trying a thousand different usernames, and every attempt costs a PBKDF2 hash
(about a second of CPU), so eight anonymous clients could starve everyone else. So, before any
password is checked (the sign-in form, HTTP Basic on the API):

- an address with SIGNIN_ADDRESS_FAILURE_LIMIT failures (any usernames, bad API tokens too) in
  SIGNIN_ADDRESS_WINDOW seconds gets 429 until the window passes;
- at most SIGNIN_CONCURRENT_CHECKS password checks run at once on the whole server (a counter in
  the shared cache) and one per worker process (a semaphore, which also holds without the cache);
  anyone beyond that gets 429 at once, without hashing.

The address is REMOTE_ADDR, or, when that is one of TRUSTED_PROXIES, the nearest address in
X-Forwarded-For that is not a trusted proxy: a client cannot pick its own address by sending the
header, and behind the proxy one client's failures do not lock everyone. Blank usernames never
reach a password check, so they are neither hashed nor recorded.
"""

import ipaddress
import threading
from contextlib import contextmanager, suppress

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

_process_slots = threading.BoundedSemaphore(max(1, int(getattr(settings, "SIGNIN_CHECKS_PER_PROCESS", 1))))
BUSY_KEY = "signin:checks-running"


class SignInThrottled(Exception):
    """Too many failures from this address, or the server is busy checking passwords."""

    def __init__(self, retry_after, why):
        super().__init__(why)
        self.retry_after = retry_after


def _networks():
    return [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request):
    """The client's address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a garbled header: the proxy's own address, never the garble
    return remote


def _failures_key(request):
    return f"signin:failures:{client_ip(request)}"


def check_address(request):
    """Raise SignInThrottled when this address has failed too often lately."""
    if (cache.get(_failures_key(request)) or 0) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
        raise SignInThrottled(settings.SIGNIN_ADDRESS_WINDOW, "too many failures from this address")


def record_failure(request):
    """Count a failed sign-in (or bad API token) against the client's address."""
    key = _failures_key(request)
    if not cache.add(key, 1, timeout=settings.SIGNIN_ADDRESS_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.SIGNIN_ADDRESS_WINDOW)


@receiver(user_login_failed, dispatch_uid="accounts-throttle-failure")
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failure(request)


@contextmanager
def password_check(request):
    """Hold a password-check slot for the block; raise SignInThrottled (before any hashing) when
    the address is over its limit or the server is already checking as many passwords as it may."""
    check_address(request)
    if not _process_slots.acquire(blocking=False):
        raise SignInThrottled(5, "this worker is busy checking a password")
    counted = False
    try:
        cache.add(BUSY_KEY, 0, timeout=30)  # expires, so a crashed worker's slot comes back
        try:
            running = cache.incr(BUSY_KEY)
            counted = True
        except ValueError:  # the cache is away: the per-process semaphore still holds
            running = 1
        if running > settings.SIGNIN_CONCURRENT_CHECKS:
            raise SignInThrottled(5, "the server is busy checking passwords")
        yield
    finally:
        if counted:
            with suppress(ValueError):  # expired meanwhile: nothing to give back
                cache.decr(BUSY_KEY)
        _process_slots.release()
