"""reviews: the review chain of a score, one process (ReviewRoundFlow, ObjectionFlow).

Holds: declarations (申报) with evidence, review rounds, the branch meeting, higher-level
filing, publicity, objections and their answers, posting to the ledger; the flows
(``flows``), their Process models, the services per stage (``services``), the task screens
(``views``), the audit trail (``audit``) and the declaration timeline.

May import: organisations, members, schemes, ledger, workdays, documents, workflow, safeguards.
Never portal or appraisals (they are above it).
"""
