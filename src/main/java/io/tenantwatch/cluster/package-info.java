/**
 * The pure rules of a tenantwatch cluster (docs/cluster-shards.md): which shard a tenant is in
 * ({@link io.tenantwatch.cluster.TenantShard}), which member should own each shard
 * ({@link io.tenantwatch.cluster.Placement} by {@link io.tenantwatch.cluster.RendezvousWeight}), when a
 * cold cluster may start owning ({@link io.tenantwatch.cluster.ClusterFormation}), how owners move towards
 * that placement ({@link io.tenantwatch.cluster.RebalancePlan}), and how workers order commands across
 * owners ({@link io.tenantwatch.cluster.Fence}).
 *
 * <p>Like the tenant machine, nothing here knows Vert.x, Hazelcast or PostgreSQL: every class is a
 * function of its arguments, so every node computes the same answers from the same view.
 */
package io.tenantwatch.cluster;
