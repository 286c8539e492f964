package io.tenantwatch.simulator;

import io.tenantwatch.domain.ContextId;
import java.time.Duration;

/**
 * How a simulated tenant misbehaves instead of answering its status plainly: the failures a poller must
 * survive without changing anything (R7).
 */
public sealed interface Fault {

  /** A few words for the simulator's story log. */
  String describe();

  /** Answers this HTTP status with a JSON error body, and {@code Retry-After} when given. */
  record Failing(int httpStatus, Integer retryAfterSeconds) implements Fault {
    public Failing {
      if (httpStatus < 400 || httpStatus > 599) {
        throw new IllegalArgumentException("a failing answer needs a 4xx or 5xx status, not " + httpStatus);
      }
      if (retryAfterSeconds != null && retryAfterSeconds < 0) {
        throw new IllegalArgumentException("Retry-After must not be negative, not " + retryAfterSeconds);
      }
    }

    @Override
    public String describe() {
      return retryAfterSeconds == null ? "HTTP " + httpStatus : "HTTP " + httpStatus + " Retry-After " + retryAfterSeconds;
    }
  }

  /** Answers the status, but only after this delay. */
  record Slow(Duration delay) implements Fault {
    public Slow {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("a delay must not be negative, not " + delay);
      }
    }

    @Override
    public String describe() {
      return "slow " + delay.toMillis() + " ms";
    }
  }

  /** Answers 200 with this body, which is not a state-API status. */
  record Garbage(String body) implements Fault {
    public Garbage {
      if (body == null) {
        throw new IllegalArgumentException("a garbage answer needs a body");
      }
    }

    @Override
    public String describe() {
      return "garbage";
    }
  }

  /** Answers 200 with the real status body cut off halfway, as a dropped connection would leave it. */
  record Truncated() implements Fault {
    @Override
    public String describe() {
      return "truncated body";
    }
  }

  /** Answers with a status that names another tenant, as a misrouted proxy would. */
  record ForOtherTenant(String otherCtx) implements Fault {
    public ForOtherTenant {
      ContextId.require(otherCtx);
    }

    @Override
    public String describe() {
      return "answers for " + otherCtx;
    }
  }

  /** Never answers; the client's timeout is the only way out. */
  record Hang() implements Fault {
    @Override
    public String describe() {
      return "hangs";
    }
  }
}
