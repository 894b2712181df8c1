package io.ordermesh.platform.service;

/**
 * A service's identity: its name (config keys, consumer groups, health address), the PostgreSQL
 * schema it owns, and the classpath folder of its Flyway migrations.
 */
public record ServiceSpec(String name, String schema, String migrations) {
}
