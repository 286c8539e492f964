package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.store.SeenNotification;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecentNotificationsTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  @DisplayName("an id is new once and a repeat while it is remembered")
  void repeatRecognised() {
    RecentNotifications recent = new RecentNotifications(4);

    assertThat(recent.firstTime("a", NOW.plusSeconds(300), NOW)).isTrue();
    assertThat(recent.firstTime("a", NOW.plusSeconds(300), NOW.plusSeconds(299))).isFalse();
    assertThat(recent.firstTime("b", NOW.plusSeconds(300), NOW)).isTrue();
  }

  @Test
  @DisplayName("an id is forgotten once its token has expired: memory expires with the tokens")
  void forgottenAfterExpiry() {
    RecentNotifications recent = new RecentNotifications(4);
    recent.firstTime("a", NOW.plusSeconds(300), NOW);

    assertThat(recent.firstTime("b", NOW.plusSeconds(600), NOW.plusSeconds(300))).isTrue();
    assertThat(recent.size()).isEqualTo(1);
    assertThat(recent.firstTime("a", NOW.plusSeconds(900), NOW.plusSeconds(301))).isTrue();
  }

  @Test
  @DisplayName("the memory is bounded: beyond its capacity the oldest id goes first")
  void bounded() {
    RecentNotifications recent = new RecentNotifications(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      recent.firstTime(id, NOW.plusSeconds(300), NOW);
    }

    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.firstTime("d", NOW.plusSeconds(300), NOW)).isFalse();
    assertThat(recent.firstTime("a", NOW.plusSeconds(300), NOW)).isTrue();
  }

  @Test
  @DisplayName("asking whether an id is remembered records nothing, and what is remembered is handed on oldest first")
  void remembersAndHandsOn() {
    RecentNotifications recent = new RecentNotifications(4);
    assertThat(recent.remembers("a", NOW)).isFalse();
    assertThat(recent.size()).isZero();

    recent.firstTime("a", NOW.plusSeconds(10), NOW);
    recent.firstTime("b", NOW.plusSeconds(300), NOW);

    assertThat(recent.remembers("a", NOW.plusSeconds(9))).isTrue();
    assertThat(recent.remembered(NOW)).containsExactly(new SeenNotification("a", NOW.plusSeconds(10)),
        new SeenNotification("b", NOW.plusSeconds(300)));
    assertThat(recent.remembered(NOW.plusSeconds(10))).containsExactly(new SeenNotification("b", NOW.plusSeconds(300)));
    assertThat(recent.remembers("a", NOW.plusSeconds(10))).isFalse();
  }

  @Test
  @DisplayName("ids are forgotten at their own expiry, whatever order they came in, and after the oldest was pushed out")
  void forgottenInAnyOrder() {
    RecentNotifications recent = new RecentNotifications(2);
    recent.firstTime("late", NOW.plusSeconds(600), NOW);
    recent.firstTime("early", NOW.plusSeconds(100), NOW);

    assertThat(recent.remembers("early", NOW.plusSeconds(99))).isTrue();
    assertThat(recent.remembers("early", NOW.plusSeconds(100))).isFalse();
    assertThat(recent.remembers("late", NOW.plusSeconds(100))).isTrue();

    recent.firstTime("soon", NOW.plusSeconds(200), NOW.plusSeconds(100));
    recent.firstTime("next", NOW.plusSeconds(700), NOW.plusSeconds(100));
    assertThat(recent.remembered(NOW.plusSeconds(100))).extracting(SeenNotification::id).containsExactly("soon", "next");
    assertThat(recent.remembered(NOW.plusSeconds(200))).extracting(SeenNotification::id).containsExactly("next");
  }
}
