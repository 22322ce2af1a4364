# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ACUS_VAR_DIR=/app/var

WORKDIR /app
# The runtime lock only, every file checked against its hash: no test runner, linter or browser
# driver goes into the image (the dev lock is for `make test`; tests/config/test_docker_image.py).
COPY requirements/base.txt requirements/base.txt
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --disable-pip-version-check --require-hashes -r requirements/base.txt

COPY . .
# compile_catalogues (Babel, no gettext needed) and collectstatic need settings but no secrets or database.
RUN DEBUG=1 python manage.py compile_catalogues \
    && DEBUG=1 python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app acus && mkdir -p /app/var/anchors && chown -R acus /app/var
USER acus

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s %(m)s %(U)s %(H)s %(s)s %(b)s %(L)s"]
