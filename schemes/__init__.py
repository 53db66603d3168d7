"""schemes: the scoring schemes (积分方案) in force, stored as versioned data.

Holds: a scheme attached to an organisation and a cycle, its versions (locked once scores are
posted), the lookup of the scheme in force, and the ``simulate`` command.

May import: organisations, members, scoring_engine.
"""
