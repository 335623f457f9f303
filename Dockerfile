FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# WeasyPrint renders the certificate PDFs with Pango, HarfBuzz and these fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home kdla && mkdir -p var/media && chown -R kdla var
USER kdla
EXPOSE 8000
CMD ["gunicorn", "kdla_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
