package io.tenantwatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.tenantwatch.domain.Symptom;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CallFailureTest {

  @Test
  @DisplayName("a refused, timed-out or closed connection is a connection failure, also as a cause; other failures "
      + "are not")
  void connectionFailures() {
    assertThat(CallFailure.isConnectionFailure(new ConnectException("Connection refused"))).isTrue();
    assertThat(CallFailure.isConnectionFailure(new ConnectTimeoutException("connection timed out"))).isTrue();
    assertThat(CallFailure.isConnectionFailure(new ClosedChannelException())).isTrue();
    assertThat(CallFailure.isConnectionFailure(new HttpClosedException("closed"))).isTrue();
    assertThat(CallFailure.isConnectionFailure(new VertxException("Connection was closed"))).isTrue();
    assertThat(CallFailure.isConnectionFailure(new IllegalStateException("wrapped", new ConnectException()))).isTrue();
    assertThat(CallFailure.isConnectionFailure(new VertxException("something else"))).isFalse();
    assertThat(CallFailure.isConnectionFailure(new IllegalStateException("no token"))).isFalse();
  }

  @Test
  @DisplayName("a status shows a failure at the tenant when it is 421 or 5xx, and a symptom when it is 421 or "
      + "502 to 504")
  void statuses() {
    assertThat(CallFailure.ofStatus(421)).contains(CallFailure.STATUS_421);
    assertThat(CallFailure.ofStatus(503)).contains(CallFailure.STATUS_503);
    assertThat(CallFailure.ofStatus(500)).contains(CallFailure.OTHER_5XX);
    assertThat(CallFailure.ofStatus(599)).contains(CallFailure.OTHER_5XX);
    assertThat(CallFailure.ofStatus(404)).isEmpty();
    assertThat(CallFailure.ofStatus(200)).isEmpty();
    assertThat(CallFailure.seenIn(Future.failedFuture(new TenantCallFailed(502))).flatMap(CallFailure.Seen::symptom))
        .contains(Symptom.UNAVAILABLE);
    assertThat(CallFailure.seenIn(Future.failedFuture(new TenantCallFailed(500))).flatMap(CallFailure.Seen::symptom))
        .isEmpty();
    assertThat(CallFailure.seenIn(Future.failedFuture(new ConnectException())))
        .contains(new CallFailure.Seen(CallFailure.CONNECTION, 0));
    assertThat(CallFailure.seenIn(Future.succeededFuture("not a response"))).isEqualTo(Optional.empty());
  }
}
