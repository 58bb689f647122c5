# Image of the pulse command (Streams application, webhook ingest, generator), built over the Maven
# build's output so that no network is needed at image build time:
#   ./mvnw -B package -DskipTests && docker build -t community-pulse:dev .
# The entry point is `pulse`; the command chooses the role, e.g. `streams`, `webhooks`, `generate`.
# Configuration by PULSE_* environment variables (docs/configuration.md).
FROM eclipse-temurin:17-jre

# Unprivileged user; the state directory exists in the image so a named volume mounted there
# inherits its owner.
RUN groupadd --system pulse && useradd --system --gid pulse --home-dir /app pulse \
    && mkdir -p /var/lib/pulse/streams && chown -R pulse:pulse /var/lib/pulse

WORKDIR /app
# Dependencies first: they change less often than our jar, so the layer is reused. lib/ holds no embedded
# broker or registry (those are in cli/target/lib-embedded, for ./pulse run and replay on a workstation):
# `pulse run` here needs PULSE_BOOTSTRAP_SERVERS and PULSE_SCHEMA_REGISTRY_URL.
COPY cli/target/lib/ /app/lib/
COPY cli/target/pulse.jar /app/pulse.jar

USER pulse
# Heap at half the container memory: RocksDB (state stores) lives off-heap beside it.
ENV PULSE_STATE_DIR=/var/lib/pulse/streams \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/var/lib/pulse"]
# 7070: Streams /metrics, /health, /ready (http.port); 8080: webhook ingest.
EXPOSE 7070 8080
ENTRYPOINT ["java", "-jar", "/app/pulse.jar"]
CMD ["--help"]
