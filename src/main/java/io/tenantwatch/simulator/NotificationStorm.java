package io.tenantwatch.simulator;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.webhook.NotificationSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A burst of signed state-change notifications posted all at once to one webhook on this machine, some of
 * them more than once with the very same token: what a retrying or replaying sender does, and what a
 * webhook must accept without applying twice. Bodies are SuperOffice's and tokens are signed with the
 * simulator's key ({@link Simulator#signer()}), so an engine that trusts the simulator verifies them.
 * Kept apart from {@link Simulator}, whose own sender posts one notification per scripted change.
 */
public final class NotificationStorm {
  private final WebClient client;
  private final NotificationSigner signer;
  private final String webhookUrl;

  /**
   * One notification of a storm.
   *
   * @param versionName sent as {@code VersionName}; null sends it empty, as SuperOffice may
   * @param publicEndpoint the bare host a Move names; must be null for any other change type
   * @param copies how many times the same body (the same token) is posted, at least one
   */
  public record Notice(String ctx, ChangeType type, String versionName, String publicEndpoint, int copies) {
    public Notice {
      ContextId.require(ctx);
      Objects.requireNonNull(type, "type");
      if (type.is(ChangeType.Known.MOVE) != (publicEndpoint != null)) {
        throw new IllegalArgumentException("a Move, and only a Move, names a PublicEndpoint");
      }
      if (publicEndpoint != null && !NotificationSender.isBareHost(publicEndpoint)) {
        throw new IllegalArgumentException("a PublicEndpoint is a bare host name, not " + publicEndpoint);
      }
      if (copies < 1) {
        throw new IllegalArgumentException("a notice is sent at least once, not " + copies + " times");
      }
    }
  }

  /**
   * @param signer the simulator's signer, so the engine's verifier accepts the tokens
   * @param webhookUrl plain HTTP to 127.0.0.1 or localhost only
   * @throws IllegalArgumentException for any other URL
   */
  public NotificationStorm(Vertx vertx, NotificationSigner signer, String webhookUrl) {
    this.webhookUrl = NotificationSender.requireLoopback(webhookUrl);
    this.signer = Objects.requireNonNull(signer, "signer");
    this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("tenantwatch-simulator-storm"));
  }

  /**
   * Signs every notice once and posts all copies of all notices at the same time; completes with the
   * status each post was answered, notice by notice and copy by copy, or fails when a post got no answer
   * within the {@link NotificationSender#SEND_TIMEOUT}.
   */
  public Future<List<Integer>> send(List<Notice> notices) {
    List<Future<Integer>> posts = new ArrayList<>();
    for (Notice notice : notices) {
      Buffer body = NotificationSender.body(notice.type(), notice.ctx(), notice.versionName(),
          signer.sign(notice.ctx()), notice.publicEndpoint()).toBuffer();
      for (int copy = 0; copy < notice.copies(); copy++) {
        posts.add(client.postAbs(webhookUrl)
            .putHeader("Content-Type", "application/json")
            .timeout(NotificationSender.SEND_TIMEOUT.toMillis())
            .sendBuffer(body)
            .map(HttpResponse::statusCode));
      }
    }
    return Future.all(posts).map(all -> posts.stream().map(Future::result).toList());
  }

  public void close() {
    client.close();
  }
}
