# syntax=docker/dockerfile:1
# MictlanX: one image for every role (all-in-one by default; server, peer, admin by argument).
#   docker build -t mictlanx .
#   docker run -p 9000:9000 -v mictlanx-data:/data mictlanx
# Configuration is by environment (MICTLANX_*, or MICTLANX_*_FILE for secrets); see docs/operations.md.

# ---- build stage: the Maven wrapper builds peer + server and gathers their runtime jars ----------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
# Mirrors bin/mictlanx's build: the server's runtime dependencies (the peer jar among them, resolved from
# the reactor) plus exactly the server's main jar (main_jar skips the -tests.jar and its logback-test.xml),
# all in one directory.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests -pl server -am package dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=target/dist/lib \
 && . bin/lib/main-jar.sh \
 && cp "$(main_jar server/target mictlanx-server)" server/target/dist/lib/ \
 && test -n "$(ls server/target/dist/lib/mictlanx-peer-*.jar)" \
 && test -n "$(ls server/target/dist/lib/mictlanx-common-*.jar)" \
 && bin/lib/dist.sh server/target/dist/lib /out mictlanx \
 && javac --release 21 -d /out/healthcheck deploy/HealthCheck.java

# ---- run stage: the self-contained distribution's layout (bin/mictlanx dist): a jlink'ed runtime with only
# the modules MictlanX uses, the jars, the entrypoint, a non-root user; the same OS as the build stage ------
FROM ubuntu:24.04
RUN groupadd --system --gid 10001 mictlanx \
 && useradd --system --uid 10001 --gid mictlanx --home-dir /data --no-create-home --shell /usr/sbin/nologin mictlanx \
 && mkdir -p /data \
 && chown mictlanx:mictlanx /data
COPY --from=build /out/mictlanx/runtime/ /app/runtime/
COPY --from=build /out/mictlanx/lib/ /app/lib/
COPY --from=build /out/mictlanx/bin/ /app/bin/
# `java` on PATH is the bundled runtime (the entrypoint and the HEALTHCHECK call it by that name).
RUN ln -s /app/runtime/bin/java /usr/local/bin/java
COPY --from=build /out/healthcheck/ /app/healthcheck/
COPY deploy/docker-entrypoint.sh /app/docker-entrypoint.sh
RUN chmod 0755 /app/docker-entrypoint.sh

ENV MICTLANX_HOST=0.0.0.0 \
    MICTLANX_PORT=9000 \
    MICTLANX_DATA=/data \
    MICTLANX_CLASSPATH=/app/lib

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 9000

# HealthCheck is a 60-line JRE-only program (deploy/HealthCheck.java): no curl or wget needed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx24m", "-cp", "/app/healthcheck", "HealthCheck"]

ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["all-in-one"]
