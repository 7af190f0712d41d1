# The worker image for docker-compose.yml (production-like: Apache Kafka + PostgreSQL).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY ticketflow ticketflow
COPY schemas schemas
COPY channels channels
COPY classifiers classifiers
COPY routing_rules routing_rules
COPY sinks sinks
COPY streams streams
COPY corpus corpus
COPY enrichment enrichment
COPY store store
COPY sla sla
COPY alembic.ini .
RUN pip install --no-cache-dir .
ENV TICKETFLOW_DATA_DIR=/var/lib/ticketflow
ENTRYPOINT ["ticketflow"]
CMD ["worker"]
