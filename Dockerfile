# The worker image for docker-compose.yml (production stack: Apache Kafka + PostgreSQL).
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
COPY kpi kpi
COPY replies replies
COPY alembic.ini .
RUN pip install --no-cache-dir .
# The bundled intent model, trained once here (under a minute) instead of in every container;
# `ticketflow train` writes a verified artifact (skops + SHA-256) that the worker loads as is.
RUN ticketflow train --out /opt/ticketflow/model
ENV TICKETFLOW_MODEL_DIR=/opt/ticketflow/model
# Not root: the data dir (a volume in docker-compose.yml) belongs to the worker's own user.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/ticketflow --create-home \
        ticketflow
USER ticketflow
ENV TICKETFLOW_DATA_DIR=/var/lib/ticketflow
ENTRYPOINT ["ticketflow"]
CMD ["worker"]
