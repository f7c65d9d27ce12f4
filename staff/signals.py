import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from staff.middleware import SESSION_SEEN, SESSION_STARTED


@receiver(user_logged_in, dispatch_uid="staff_session_clock")
def start_session_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
