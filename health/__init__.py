"""Health checks for the background machinery: a worker heartbeat and the smoke command."""
