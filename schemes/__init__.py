"""Stored scoring schemes (积分方案) attached to an organisation and a cycle, and the simulate command.

``Scheme.objects.in_force(organisation, day)`` (and ``SchemeVersion.objects.in_force``) is the
one lookup of the scheme in force; its version's parsed scheme (``engine_scheme()``, from
``scoring_engine``) answers declaration questions and holds the ``[review]`` settings.
May import organisations and scoring_engine.
"""
