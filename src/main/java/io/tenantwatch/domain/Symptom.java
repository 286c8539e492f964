package io.tenantwatch.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a worker saw calling a tenant that suggests the tenant is not where, or not how, the engine last said
 * (contracts.md, "Symptom reports"). A symptom only brings a poll; the state API stays the truth.
 */
public enum Symptom {
  /** 421 "Wrong subdomain used to access tenant": the tenant has moved. */
  WRONG_HOST("wrong-host"),
  /** 502, 503 or 504: the tenant is probably going down, or is down. */
  UNAVAILABLE("unavailable"),
  /** The connection failed: refused, reset, or not made in time. */
  UNREACHABLE("unreachable");

  private final String wireName;

  Symptom(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire: {@code wrong-host}, {@code unavailable}, {@code unreachable}. */
  public String wireName() {
    return wireName;
  }

  /** The symptom an HTTP status shows, if any: 421, and 502 to 504. */
  public static Optional<Symptom> ofStatus(int status) {
    return switch (status) {
      case 421 -> Optional.of(WRONG_HOST);
      case 502, 503, 504 -> Optional.of(UNAVAILABLE);
      default -> Optional.empty();
    };
  }

  /** The symptom of a wire name, empty for anything else. */
  public static Optional<Symptom> byWireName(String name) {
    return Arrays.stream(values()).filter(symptom -> symptom.wireName.equals(name)).findFirst();
  }
}
