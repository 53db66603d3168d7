"""Views of the web interface, one module per screen family."""
