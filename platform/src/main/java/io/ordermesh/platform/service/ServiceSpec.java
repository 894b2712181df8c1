package io.ordermesh.platform.service;

/**
 * A service's identity: its name (config keys, consumer groups, health address), the PostgreSQL
 * schema it owns, the classpath folder of its Flyway migrations, and the Kafka topic it publishes
 * (null for a service that publishes none); the owner of a topic also replays that topic's DLQ.
 */
public record ServiceSpec(String name, String schema, String migrations, String topic) {
}
