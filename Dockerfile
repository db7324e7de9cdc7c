# syntax=docker/dockerfile:1
# The CSP Portal image. One image runs every process of a deployment: the web server (default
# command: gunicorn), the Celery worker and beat, and the one-off `migrate` job (docker-compose.yml).
#
#   docker build -t csp-portal .
#
# Configuration comes from the environment at run time (see the comment block of docker-compose.yml);
# nothing secret is baked into the image.

# --- 1. Front end: GOV.UK Frontend and the portal's SCSS compiled into static/dist -------------------
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build

# --- 2. The application ----------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Pango and a font for WeasyPrint (the annual report as PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only, every version pinned by requirements.lock. The lock's --extra-index-url
# and --find-links lines name a developer machine's local wheel mirror; the image installs from PyPI.
COPY requirements.lock ./
RUN sed -E '/^--(extra-index-url|find-links|index-url)/d' requirements.lock > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && pip check \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=frontend /build/static/dist static/dist

# Hashed, compressed static files, served by WhiteNoise. Settings refuse to load without SECRET_KEY
# when DEBUG is off; this throwaway value exists only for this one command and is not kept in the image.
RUN SECRET_KEY=collectstatic-at-build-time-only-not-a-secret python manage.py collectstatic --noinput

# Code and static files stay owned by root (read-only to the portal); the processes run unprivileged.
# A numeric user, so that orchestrators enforcing "run as non-root" can verify it.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --no-create-home --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /data/review-documents && chown 10001:10001 /data/review-documents
# Review documents (IMRs, drafts …): outside the code and the web root, in the volume mounted here.
ENV REVIEW_DOCUMENTS_ROOT=/data/review-documents
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "csp_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
