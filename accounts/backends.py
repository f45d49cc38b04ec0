from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrMobileBackend(ModelBackend):
    """Log in with the username or the mobile number.

    The username is tried first; a mobile number is only looked up when no
    user has that username. A missing user still runs the password hasher
    so the response time does not tell whether an account exists.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        User = get_user_model()
        user = User._default_manager.filter(username=username).first()
        if user is None and username.isdigit():
            user = User._default_manager.filter(mobile=username).first()
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
