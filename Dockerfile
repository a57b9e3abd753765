# The production image: web (gunicorn), celery worker and celery beat all run it
# (see docker-compose.yml). Dependencies come exactly from the committed uv.lock.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production

# System libraries: Pango for WeasyPrint (PDF report packs), Chromium for kaleido (chart
# images in report packs), fonts for both.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation chromium \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app

# Dependencies first (cached until pyproject.toml or uv.lock change), without dev tools.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .

# Run as an unprivileged user; it owns only what it writes (collected static files, uploads).
RUN useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
