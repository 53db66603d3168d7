"""The web interface: inbox, branch meeting screen, member portal, public board, dashboard."""
