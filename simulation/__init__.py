"""Trying a scheme before adoption: ``manage.py simulate`` and ``simulate --workflow``.

Holds: the ``simulate`` command; :mod:`simulation.workflow`, which runs a scenario
(``../shared/SCENARIOS.md``) through the real review chain and year-end evaluation in a
transaction rolled back at the end, and reads the result back from the stored results —
the scheme author's proof that the chain and the engine agree; the throw-away organisation
it builds from the roster (:mod:`simulation.world`), the rounds it walks
(:mod:`simulation.rounds`), the year end (:mod:`simulation.year_end`) and the clock it
advances instead of waiting (:mod:`simulation.clock`).

May import: every domain app (organisations, members, schemes, ledger, reviews, appraisals),
the toolkits (workdays, documents, workflow) and scoring_engine. Nothing imports it.
"""
