package io.tenantwatch.tenant;

import io.tenantwatch.store.SeenNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notifications a tenant has applied lately, by replay id, so a delivery of the same notification
 * again is recognised and not applied twice. Bounded in size, and each id is forgotten once its token has
 * expired (after that the token itself is refused). A tenant's verticle keeps one to refuse replays; the
 * directory keeps a copy of the same ids, so a verticle restarted after a failure still refuses them.
 */
final class RecentNotifications {
  static final int DEFAULT_CAPACITY = 64;

  private final int capacity;
  /** Made at the first notification: most tenants never get one, and a million empty maps cost 56 MB. */
  private LinkedHashMap<String, Instant> applied;
  /**
   * No id is forgotten before this: the earliest {@code rememberUntil} among them (null when none). Ids come
   * and go in nearly the order their tokens expire, but not exactly, so without it every look-up would scan
   * them all to find the expired ones; with it, only a look-up at or after an expiry does.
   */
  private Instant firstExpiry;

  RecentNotifications(int capacity) {
    this.capacity = capacity;
  }

  /** Records the id; false when it was already there (a replay). */
  boolean firstTime(String id, Instant rememberUntil, Instant now) {
    if (applied == null) {
      applied = new LinkedHashMap<>();
    }
    forgetExpired(now);
    if (applied.containsKey(id)) {
      return false;
    }
    if (applied.size() >= capacity) {
      Iterator<String> oldest = applied.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    applied.put(id, rememberUntil);
    if (firstExpiry == null || rememberUntil.isBefore(firstExpiry)) {
      firstExpiry = rememberUntil;
    }
    return true;
  }

  /** Whether the id is remembered: a notification with it was applied and its token still lives. */
  boolean remembers(String id, Instant now) {
    if (applied == null) {
      return false;
    }
    forgetExpired(now);
    return applied.containsKey(id);
  }

  /** The ids still remembered, oldest first, for a verticle that starts again. */
  List<SeenNotification> remembered(Instant now) {
    List<SeenNotification> seen = new ArrayList<>(size());
    if (applied != null) {
      forgetExpired(now);
      applied.forEach((id, until) -> seen.add(new SeenNotification(id, until)));
    }
    return seen;
  }

  int size() {
    return applied == null ? 0 : applied.size();
  }

  private void forgetExpired(Instant now) {
    if (firstExpiry == null || now.isBefore(firstExpiry)) {
      return;
    }
    applied.values().removeIf(until -> !now.isBefore(until));
    firstExpiry = null;
    for (Instant until : applied.values()) {
      if (firstExpiry == null || until.isBefore(firstExpiry)) {
        firstExpiry = until;
      }
    }
  }
}
