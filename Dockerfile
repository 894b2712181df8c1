# Ordermesh node image. Build the jar first (./mvnw -B -DskipTests package), then: docker build -t ordermesh .
# Java 25: the saga path runs about twice as fast as on 17 on the same box (docs/decisions/0010).
FROM eclipse-temurin:25-jre
WORKDIR /opt/ordermesh
RUN useradd --system --home-dir /var/lib/ordermesh ordermesh && mkdir -p /var/lib/ordermesh \
    && chown ordermesh /var/lib/ordermesh
COPY launcher/target/ordermesh.jar ordermesh.jar
COPY cluster.xml cluster.xml
USER ordermesh
# gateway, Hazelcast member port, event bus, management (/metrics), local mailbox
EXPOSE 8080 5701 5702 9100 8025
# Fixed ports across hosts (the event bus and the management port are random and off by default).
ENV ORDERMESH_HOME=/var/lib/ordermesh ORDERMESH_EVENT_BUS_PORT=5702 ORDERMESH_MANAGEMENT_PORT=9100
# Netty and Hazelcast use native access and sun.misc.Unsafe's memory access, which Java 24+ warns about.
# Transparent huge pages for the heap where the host's kernel gives them on request (docs/operations.md);
# on a host with them off the JVM logs two warning lines and uses 4 KiB pages. The JVM's own warnings go
# to stderr, as with the ordermesh script: stdout carries only what a command prints (`token`).
# Objects are promoted after two young collections; the ordermesh script says why.
ENTRYPOINT ["java", "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:MaxRAMPercentage=75", \
  "-XX:+UseTransparentHugePages", "-XX:MaxTenuringThreshold=2", "--enable-native-access=ALL-UNNAMED", \
  "--sun-misc-unsafe-memory-access=allow", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "-jar", "ordermesh.jar"]
CMD ["run", "--cluster", "--cluster-host", "auto"]
