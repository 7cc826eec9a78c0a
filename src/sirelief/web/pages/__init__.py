"""The pages, one module per subject; each lists its routes in ``ROUTES`` and its handlers
read the application's ``WebContext`` with ``context_of(request)`` when a request comes.

The use cases are reached inside the handlers, never while the routes are listed: the
database opens on the first request that needs it, so a fault there is a calm 503 page.
"""
