"""The pure core: exercise and routine models, their rules, and the catalogue.

Nothing in here reads files, talks to a database, a network or a terminal, or asks the
system for the time. Adapters around it (``sirelief.catalogue``, ``sirelief.cli``) do
that and hand plain data in.
"""
