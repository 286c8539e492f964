package io.tenantwatch.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of trusted keys; {@link TokenVerifier} swaps whole sets, so a verification running on
 * any event loop always sees one consistent set.
 */
record KeySet(List<TrustedKey> keys) {
  static final KeySet EMPTY = new KeySet(List.of());

  KeySet {
    keys = List.copyOf(keys);
  }

  /** The keys a token may be signed with: those its {@code kid} names, or all when it names none. */
  List<TrustedKey> candidates(String kid) {
    if (kid == null) {
      return keys;
    }
    List<TrustedKey> named = new ArrayList<>(1);
    for (TrustedKey key : keys) {
      if (key.answersTo(kid)) {
        named.add(key);
      }
    }
    return named;
  }

  KeySet plus(KeySet more) {
    if (more.keys.isEmpty()) {
      return this;
    }
    List<TrustedKey> all = new ArrayList<>(keys);
    all.addAll(more.keys);
    return new KeySet(all);
  }

  int size() {
    return keys.size();
  }
}
