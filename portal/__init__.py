"""portal: what spans the process apps: home, the inbox of every flow, the dashboard, the
public board (公示栏) with its objection form, downloads, and viewflow's Site.

May import: every app. No app imports it.
"""
