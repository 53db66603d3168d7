"""members: the people and households that are scored, and who the logged-in user is.

Holds: members (党员, 预备党员, 积极分子, 农户, 教师), categories, exclusions (不纳入) with
approval, transfers as history, the roster import/export, ``roles`` (the user's member record
and staff organisations) and the demo county.

May import: organisations, workdays, safeguards. Imported by everything above it.
"""
