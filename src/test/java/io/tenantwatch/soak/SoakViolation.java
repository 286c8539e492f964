package io.tenantwatch.soak;

/** A broken invariant: which one, for which tenant (or "engine"), and what was seen. */
final class SoakViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final String tenant;

  SoakViolation(String rule, String tenant, String detail) {
    super("invariant '" + rule + "' broken for " + tenant + ": " + detail, null, false, false);
    this.rule = rule;
    this.tenant = tenant;
  }

  String rule() {
    return rule;
  }

  String tenant() {
    return tenant;
  }
}
