package io.tenantwatch.tenant;

import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import java.time.Instant;

/**
 * One step of a tenant's state machine, as its {@link TenantVerticle} takes it: the engine passes
 * {@code machine::apply} of its {@link TenantMachine}. It is an interface so that a test can put a
 * machine that fails in its place and watch the {@link TenantDirectory} restart the tenant.
 */
@FunctionalInterface
public interface TenantBehaviour {

  /** The next snapshot and the effects to carry out; see {@link TenantMachine#apply}. */
  TenantMachine.Step apply(TenantSnapshot snapshot, TenantEvent event, Instant now);
}
