# One image for the API, the scheduler and the one-shot migration.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    EDTRACKER_DATA_DIR=/var/lib/edtracker SCRAPY_SETTINGS_MODULE=scrapers.settings

RUN useradd --system --create-home --home-dir /var/lib/edtracker edtracker
WORKDIR /app
COPY pyproject.toml README.md scrapy.cfg scheduler.py ./
COPY tracker ./tracker
COPY scrapers ./scrapers
COPY api ./api
COPY cli ./cli
RUN pip install --no-cache-dir .

USER edtracker
EXPOSE 8000
ENTRYPOINT ["edtracker"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
