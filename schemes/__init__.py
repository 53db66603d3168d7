"""schemes: the scoring schemes (积分方案) in force, stored as versioned data.

Holds: a scheme attached to an organisation and a cycle, and its versions (locked once scores
are posted). The ``simulate`` command lives in ``simulation``, which can also walk the chain. ``Scheme.objects.in_force(organisation, day)`` (and
``SchemeVersion.objects.in_force``) is the one lookup of the scheme in force; its version's
parsed scheme (``engine_scheme()``, from ``scoring_engine``) answers declaration questions and
holds the ``[review]`` settings.

May import: organisations, members, scoring_engine.
"""
