"""workflow: the domain-free toolkit every process app builds its viewflow flows from.

Holds:
    ``nodes``        RoleView (a human task offered by the organisation tree) and QueuedHandle
                     (a ``flow.Handle`` completed by a Celery task queued on commit);
    ``steps``        completing a human task from a service, and ``locked_process``, the one
                     helper that takes a process's flow lock and re-reads its subject row;
    ``permissions``  ``TreeFlow``, the base of every flow (pages visible by the organisation
                     tree, ``select_for_update_lock``, registered for the timer sweep), and the
                     predicates ``branch_secretary``, ``branch_staff`` and ``higher_reviewer``;
    ``tasks``        the Celery beat sweep ``fire_timers`` and ``run_queued_handle``;
    ``forms``        putting a service's ValidationError on a form, field by field;
    ``views``        viewflow's claim/release pages of a RoleView, through ``assignment``.

May import: Django, viewflow, celery and ``organisations`` (the tree permission rule). It knows
no process: reviews, appraisals and later process apps import it, never the other way round.
"""
