# One image for the API, the scheduler and the one-shot migration.
# Stage 1 builds edtracker's wheel with a C compiler, so the compiled BILLSTATUS reader is in it
# (without a compiler the build skips it and the slower stylesheet reader is used).
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE scrapy.cfg scheduler.py ./
COPY tracker ./tracker
COPY scrapers ./scrapers
COPY api ./api
COPY cli ./cli
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    EDTRACKER_DATA_DIR=/var/lib/edtracker SCRAPY_SETTINGS_MODULE=scrapers.settings

RUN useradd --system --create-home --home-dir /var/lib/edtracker edtracker
WORKDIR /app
COPY scrapy.cfg ./
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels

USER edtracker
EXPOSE 8000
ENTRYPOINT ["edtracker"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
