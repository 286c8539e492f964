/**
 * The engine as one node of a Vert.x cluster on Hazelcast (issue 16, DESIGN "More than one node"): the
 * Hazelcast settings, the clustered {@code Vertx}, and {@link io.tenantwatch.node.Membership}, the current
 * members by their tenantwatch {@code nodeId}. The pure rules that turn a membership into shards and
 * owners live in {@code io.tenantwatch.cluster}, free of Vert.x; this package is where Vert.x and
 * Hazelcast are.
 */
package io.tenantwatch.node;
