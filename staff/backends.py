from django.contrib.auth.backends import ModelBackend

from staff.models import User


class SchoolMemberBackend(ModelBackend):
    """Django's backend, loading the user's school with the user: every page shows it."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("school").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
