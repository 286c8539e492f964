package io.tenantwatch.machine;

import java.time.Instant;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The pure state machine of one tenant: {@code (snapshot, event, now) -> (snapshot, effects)}.
 * PLACEHOLDER SIGNATURE: being implemented.
 */
public final class TenantMachine {

  /** The next snapshot and what the verticle must do, in order. */
  public record Step(TenantSnapshot snapshot, List<Effect> effects) {
    public Step {
      effects = List.copyOf(effects);
    }
  }

  private final PollSettings settings;
  private final DoubleSupplier random;

  /**
   * @param settings the timing rules
   * @param random uniform values in [0, 1) for jitter; tests pass a fixed one
   */
  public TenantMachine(PollSettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
  }

  public Step apply(TenantSnapshot snapshot, TenantEvent event, Instant now) {
    throw new IllegalStateException("being implemented");
  }
}
