/**
 * Event-bus contracts of the services: address names and the shape of requests and replies. The
 * gateway and other services know a service only through these, never through its package.
 */
package io.ordermesh.contracts;
