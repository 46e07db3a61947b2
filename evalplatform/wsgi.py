import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")
application = get_wsgi_application()

from evalplatform.var_dir import ensure_var_dirs  # noqa: E402 (needs the settings set up)

ensure_var_dirs()
