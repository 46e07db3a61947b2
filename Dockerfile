# The one image behind web, the CPU worker, the GPU worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    EVALPLATFORM_VAR_DIR=/srv/var EVALPLATFORM_MODEL_DIR=/models

WORKDIR /srv/app
# The runtime dependencies only, no test or lint tools (requirements-prod.lock is made
# from requirements.lock by scripts/production_requirements.py).
COPY pyproject.toml requirements-prod.lock ./
# The GPU worker needs a CUDA build of torch: build with --build-arg TORCH_INDEX=... to choose.
ARG TORCH_SPEC="torch==2.13.0"
ARG TORCH_INDEX="https://download.pytorch.org/whl/cpu"
RUN pip install --no-cache-dir --index-url "$TORCH_INDEX" "$TORCH_SPEC" \
 && pip install --no-cache-dir -r requirements-prod.lock
# .dockerignore keeps .env, .venv, var/, .git and the tests out of the image.
COPY . .
# collectstatic runs on the embedded settings (no DATABASE_URL) and signs nothing, so no
# secret is needed and none is written into the image (the check below makes sure).
RUN pip install --no-cache-dir --no-deps -e . \
 && python manage.py collectstatic --noinput \
 && test ! -e /srv/var/secret_key

# /srv/var and /models belong to the user the containers run as; a new named volume
# mounted on /models takes this ownership, so train_models and copied checkpoints can
# be written there (README, "Production deployment").
RUN useradd --create-home --uid 1000 evalplatform \
 && mkdir -p /models \
 && chown -R evalplatform /srv/var /models
USER evalplatform
EXPOSE 8000
CMD ["gunicorn", "evalplatform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
