# The one image behind web, the CPU worker, the GPU worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    EVALPLATFORM_VAR_DIR=/srv/var

WORKDIR /srv/app
COPY pyproject.toml requirements.lock ./
# The GPU worker needs a CUDA build of torch: build with --build-arg TORCH_INDEX=... to choose.
ARG TORCH_SPEC="torch==2.13.0"
ARG TORCH_INDEX="https://download.pytorch.org/whl/cpu"
RUN pip install --no-cache-dir --index-url "$TORCH_INDEX" "$TORCH_SPEC" \
 && pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 evalplatform && mkdir -p /srv/var && chown evalplatform /srv/var
USER evalplatform
EXPOSE 8000
CMD ["gunicorn", "evalplatform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
