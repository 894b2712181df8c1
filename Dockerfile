# Ordermesh node image. Build the jar first (./mvnw -B -DskipTests package), then: docker build -t ordermesh .
FROM eclipse-temurin:17-jre
WORKDIR /opt/ordermesh
RUN useradd --system --home-dir /var/lib/ordermesh ordermesh && mkdir -p /var/lib/ordermesh \
    && chown ordermesh /var/lib/ordermesh
COPY launcher/target/ordermesh.jar ordermesh.jar
COPY cluster.xml cluster.xml
USER ordermesh
# gateway, Hazelcast member port, event bus, management (/metrics), local mailbox
EXPOSE 8080 5701 5702 9100 8025
ENV ORDERMESH_HOME=/var/lib/ordermesh
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "-jar", "ordermesh.jar"]
CMD ["run", "--cluster", "--cluster-host", "auto"]
