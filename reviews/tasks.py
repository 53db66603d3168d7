"""Celery tasks of the review chain."""
from celery import shared_task

from . import deadlines


@shared_task(name="reviews.tasks.chase_deadlines")
def chase_deadlines():
    """Beat: remind the branch of objections due soon and the higher committee of overdue ones.

    Returns ``{"near": n, "missed": n}`` (objections newly reminded); see ``reviews.deadlines.chase``.
    """
    return deadlines.chase()
