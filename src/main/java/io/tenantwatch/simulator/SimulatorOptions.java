package io.tenantwatch.simulator;

/**
 * How the {@link Simulator} is set up. The config layer maps the JSON {@code simulator} section onto
 * this record; a bad value is refused here with a message that names the field.
 *
 * @param port the loopback port to listen on; 0 picks any free port
 * @param tenants how many tenants exist at start
 * @param seed drives the scenario assignment and every randomised phase length, so a run repeats
 * @param scripted true: tenants walk their scenarios; false: tenants stay Running until a caller
 *     changes them through the control API
 * @param validityMs how far ahead of now {@code ValidUntil} is set
 * @param firstTenant the number of the first tenant: 10001 gives Cust10001, Cust10002, ...
 */
public record SimulatorOptions(int port, int tenants, long seed, boolean scripted, long validityMs,
    long firstTenant) {

  public static final int DEFAULT_PORT = 8090;
  public static final int DEFAULT_TENANTS = 12;
  public static final long DEFAULT_SEED = 42;
  public static final boolean DEFAULT_SCRIPTED = true;
  public static final long DEFAULT_VALIDITY_MS = 10_000;
  public static final long DEFAULT_FIRST_TENANT = 10_001;

  /** Context identifiers allow at most twelve digits. */
  private static final long LARGEST_TENANT_NUMBER = 999_999_999_999L;

  public SimulatorOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("simulator.port must be between 0 and 65535, not " + port);
    }
    if (tenants < 0) {
      throw new IllegalArgumentException("simulator.tenants must not be negative, not " + tenants);
    }
    if (validityMs <= 0) {
      throw new IllegalArgumentException("simulator.validityMs must be positive, not " + validityMs);
    }
    if (firstTenant < 0 || firstTenant + tenants - 1 > LARGEST_TENANT_NUMBER) {
      throw new IllegalArgumentException("simulator.firstTenant must be at least 0 and leave room for "
          + tenants + " tenants of at most twelve digits, not " + firstTenant);
    }
  }

  /** Every field at its default: port 8090, 12 scripted tenants from Cust10001, seed 42, 10 s validity. */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(DEFAULT_PORT, DEFAULT_TENANTS, DEFAULT_SEED, DEFAULT_SCRIPTED,
        DEFAULT_VALIDITY_MS, DEFAULT_FIRST_TENANT);
  }

  public SimulatorOptions withPort(int port) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  public SimulatorOptions withTenants(int tenants) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  public SimulatorOptions withSeed(long seed) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  public SimulatorOptions withScripted(boolean scripted) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  public SimulatorOptions withValidityMs(long validityMs) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  public SimulatorOptions withFirstTenant(long firstTenant) {
    return new SimulatorOptions(port, tenants, seed, scripted, validityMs, firstTenant);
  }

  /** The context identifier of the tenant at this index (0 is the first). */
  public String tenantId(int index) {
    return "Cust" + (firstTenant + index);
  }
}
