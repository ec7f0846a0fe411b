"""Who may use each URL. Every route has an explicit rule; tests/test_security__routes.py walks
the URL configuration and fails for a route without one.

A rule is a short sentence: views carry it as `access_rule` (class attribute or, for function
views, set by `public`), API operations by their `auth`, and the URLs other libraries serve
are listed in LIBRARY_RULES with the check that guards them."""

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public: shows nothing private"


def public(view):
    """Mark a view anyone may use."""
    view.access_rule = PUBLIC
    return view


#: URL names (namespace prefixes end with ':') served by libraries, and what guards them.
LIBRARY_RULES = {
    "admin:": "Django admin: active staff users, then each model's permissions",
    "desk:signoff:": "viewflow: the flow's view permission (notices/flows.py RoleView) and the "
                     "task's assignee for every task action",
    "two_factor:login": PUBLIC,
    "two_factor:": "django-two-factor-auth: signed in (login_required / otp_required), own "
                   "devices only",
    "captcha-image": "public: django-simple-captcha's challenge image, by its random key",
    "captcha-image-2x": "public: django-simple-captcha's challenge image, by its random key",
    "captcha-audio": "public: django-simple-captcha's challenge as sound, by its random key",
    "captcha-refresh": "public: a new challenge key and image address, nothing stored",
    "api-v1:openapi-json": "public: the API's schema, no data",
    "api-v1:openapi-view": "public: the API's schema, no data",
    "api-v1:api-root": "public: the API's schema, no data",
}

#: API operations without authentication, and why.
PUBLIC_API_OPERATIONS = {  # nosec B105: a description of an operation, not a password
    "issue_token": "public: exchanges a password (and for staff the TOTP code) for a token; "
                   "throttled by django-axes"}


def _api_rule(callback) -> str | None:
    """`auth` of every operation behind a django-ninja URL."""
    path_view = next((cell.cell_contents for cell in getattr(callback, "__closure__", None) or ()
                      if hasattr(cell.cell_contents, "operations")), None)
    if path_view is None:
        return None
    rules = []
    for operation in path_view.operations:
        name = operation.view_func.__name__
        if operation.auth_callbacks:
            rules.append(f"{name}: " + " or ".join(type(a).__name__
                                                   for a in operation.auth_callbacks))
        elif name in PUBLIC_API_OPERATIONS:
            rules.append(f"{name}: {PUBLIC_API_OPERATIONS[name]}")
        else:
            return None
    return "; ".join(rules)


def access_rule(name: str, callback) -> str | None:
    """The rule guarding the URL `name` whose view is `callback`, or None when it has none."""
    rule = (getattr(callback, "access_rule", None)
            or getattr(getattr(callback, "view_class", None), "access_rule", None))
    if rule:
        return rule
    if name in LIBRARY_RULES:
        return LIBRARY_RULES[name]
    for prefix, library_rule in LIBRARY_RULES.items():
        if prefix.endswith(":") and name.startswith(prefix):
            return library_rule
    return _api_rule(callback)


def routes(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, URL name with namespaces, view callback) for every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern.callback
