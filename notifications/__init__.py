"""notifications: telling people that something needs them.

Holds: the in-app notification list with read/unread (``Notification``), each user's channel
choices (``Preference``: e-mail and the group robot, per event), the optional group robot of an
organisation (``RobotWebhook``: a WeCom or DingTalk group robot's webhook, sent through apprise),
``services.notify`` (record and queue), the Celery task that delivers e-mail (Django's mail) and
robot messages after the commit, and the announcement of every new workflow task to the
holders of its role (``workflow.signals.task_offered``).

May import: Django, celery, apprise, ``organisations`` and ``workflow`` (the signal). It knows no
process: reviews and appraisals call ``notify`` with their events; never the other way round.
"""
