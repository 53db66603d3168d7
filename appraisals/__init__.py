"""appraisals: the year-end evaluation (年终评定) as its own process (YearEndFlow, DisposalFlow).

Holds: democratic appraisal input, results computed from the ledger by the stored scheme
version, grades, stars and quotas, higher approval, result publicity, the use of results and
dispositions approved by the higher committee; the flows, services, screens and demo stage.

May import: everything below it (reviews, ledger, schemes, members, organisations, documents,
workflow, workdays, safeguards, scoring_engine). Never portal.
"""
