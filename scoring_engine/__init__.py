"""Pure-Python scoring core (no Django imports): schemes, components, caps, grades, stars, quotas."""
