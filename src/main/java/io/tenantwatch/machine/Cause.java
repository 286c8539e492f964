package io.tenantwatch.machine;

import io.tenantwatch.domain.ChangeType;
import java.util.Objects;

/**
 * Why a step happened, as its history entry and its commands' {@code reason} name it: an ordinary poll,
 * a poll an operator forced, an unwatch, or a notification ({@code notification:<label>}, e.g.
 * {@code notification:Resume}, {@code notification:7} for a code this engine does not know).
 *
 * @param text the cause as written in history entries, commands and stored snapshots
 */
public record Cause(String text) {
  private static final String NOTIFICATION = "notification:";

  /** A step caused by an ordinary poll (timer or start) or by a hold running out. */
  public static final Cause POLL = new Cause("poll");
  /** The step of a poll an operator forced. */
  public static final Cause ADMIN = new Cause("admin");
  /** The retire sent when an operator unwatches a tenant. */
  public static final Cause UNWATCHED = new Cause("unwatched");

  public Cause {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("a cause is not blank");
    }
  }

  /** The cause a notification of this type gives its step and the next successful poll's step. */
  public static Cause notification(ChangeType type) {
    return new Cause(NOTIFICATION + type.label());
  }

  /** The cause written as {@code text}, the engine's own constants where it is one of them; null for null. */
  public static Cause of(String text) {
    if (text == null) {
      return null;
    }
    for (Cause known : new Cause[] {POLL, ADMIN, UNWATCHED}) {
      if (known.text.equals(text)) {
        return known;
      }
    }
    return new Cause(text.intern());
  }

  /** Whether a notification caused the step. */
  public boolean fromNotification() {
    return text.startsWith(NOTIFICATION);
  }

  @Override
  public String toString() {
    return text;
  }
}
