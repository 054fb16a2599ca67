/**
 * What the services share and nothing else: the messages on Kafka, the topic and
 * collection names, and the headers partners receive.
 */
package io.postbackrelay.common;
