"""Sign-in for scripts on the JSON API: personal tokens (`Authorization: Bearer …`) or HTTP Basic;
401 (not a login redirect) without them, 429 when throttled or locked."""

import base64
import binascii

from django.contrib.auth import authenticate
from django.http import JsonResponse

from accounts import throttle, tokens

from .views.errors import with_security_headers

API_PREFIX = "/api/"
REALM = 'Basic realm="Ofsted judgement tracker API", charset="UTF-8", Bearer realm="Ofsted judgement tracker API"'
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiAuthenticationMiddleware:
    """On /api/ only: a personal token (cheap: a digest and a cache read) or HTTP Basic (a password
    check, throttled like the sign-in page) signs in one request, creating no session. Anyone not
    signed in gets 401 JSON. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        header = request.headers.get("Authorization", "")
        scheme, _sep, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme in ("bearer", "basic"):
            try:
                throttle.check_address(request)
            except throttle.SignInThrottled as exc:
                return self._throttled(request, exc.retry_after, "Too many failed sign-ins from your address.")
        if scheme == "bearer":
            user = tokens.user_for_api_token(credentials.strip())
            if user is None:
                throttle.record_failure(request)
                return self._unauthorised(request, "The token is not valid: it may have been revoked or mistyped.")
            if request.method not in READ_METHODS:
                return self._json(request, {"error": "API tokens only read."}, 403)
            request.user = request._cached_user = user
        elif scheme == "basic" and not request.user.is_authenticated:
            username, password = self._basic_credentials(credentials)
            if not username:
                return self._unauthorised(request, "Give a username and password, or use an API token.")
            try:
                with throttle.password_check(request):
                    user = authenticate(request, username=username, password=password)
            except throttle.SignInThrottled as exc:
                return self._throttled(request, exc.retry_after, "The service is busy checking passwords.")
            if user is None:
                if getattr(request, "axes_locked_out", False):
                    return self._throttled(request, 15 * 60, "Too many wrong passwords: this sign-in is locked.")
                return self._unauthorised(request, "The username or password is wrong.")
            request.user = request._cached_user = user
        if not request.user.is_authenticated:
            return self._unauthorised(request, "Sign in first: use an API token, HTTP Basic or a signed-in session.")
        return self.get_response(request)

    @staticmethod
    def _basic_credentials(encoded):
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        username, _sep, password = decoded.partition(":")
        return username.strip(), password

    @staticmethod
    def _json(request, data, status):
        response = JsonResponse(data, status=status)
        response["Cache-Control"] = "no-store"
        return with_security_headers(response, request)

    def _unauthorised(self, request, message):
        response = self._json(request, {"error": message}, 401)
        response["WWW-Authenticate"] = REALM
        return response

    def _throttled(self, request, retry_after, message):
        response = self._json(request, {"error": f"{message} Try again in {retry_after} seconds."}, 429)
        response["Retry-After"] = str(retry_after)
        return response
