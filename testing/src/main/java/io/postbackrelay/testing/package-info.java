/**
 * Real infrastructure for integration tests: a Kafka broker and a MongoDB-protocol
 * server, found or started once per test JVM.
 */
package io.postbackrelay.testing;
