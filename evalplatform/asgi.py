import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")
application = get_asgi_application()

from evalplatform.var_dir import ensure_var_dirs  # noqa: E402 (needs the settings set up)

ensure_var_dirs()
