"""Per-request caching of what every staff page asks many times."""
from organisations.permissions import roles_cached

#: Methods that change nothing: a role granted while the request runs cannot matter to them.
READ_METHODS = ("GET", "HEAD")


class RolesCachedForReadsMiddleware:
    """A GET or HEAD request reads each user's roles once (``organisations.permissions.roles_cached``).

    The menu's task counts, the task lists, the scoping of each flow and the actions offered on
    each task all ask the same question; without this a county secretary's page asks it tens of
    times. Requests that may change roles (POST and the rest) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_METHODS:
            return self.get_response(request)
        with roles_cached():
            return self.get_response(request)
