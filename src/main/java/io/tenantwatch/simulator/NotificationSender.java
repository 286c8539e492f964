package io.tenantwatch.simulator;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.webhook.NotificationSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Posts the simulator's state-change notifications, in the body SuperOffice sends and signed with the
 * simulator's own key, to one webhook on this machine. One WebClient serves every tenant. Sending runs on
 * the simulator's event loop; the target may be set from any thread.
 */
final class NotificationSender {
  /** How long a receiver may take to answer before the notification counts as failed. */
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost");
  private static final Pattern BARE_HOST = Pattern.compile("[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})*");
  /** {@code Release_11.10_2026.02.24-01}: the release number and the year. */
  private static final Pattern RELEASE = Pattern.compile("Release_(\\d+(?:\\.\\d+){0,2})_(\\d{4})\\b.*");

  private final NotificationSigner signer;
  private final Level level;
  private volatile String target;
  private WebClient client;

  /** @param level INFO for a demo-sized simulator, DEBUG where one line per notification would drown the log */
  NotificationSender(NotificationSigner signer, Level level) {
    this.signer = signer;
    this.level = level;
  }

  /** Opens the shared client; called once the simulator is deployed. */
  void open(Vertx vertx) {
    client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) SEND_TIMEOUT.toMillis())
        .setUserAgent("tenantwatch-simulator"));
  }

  void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** Sends to this webhook from now on; anything but plain HTTP on this machine is refused. */
  void target(String webhookUrl) {
    target = requireLoopback(webhookUrl);
  }

  /**
   * Signs and posts one notification now; completes with the status the receiver answered, fails when
   * no target is set, the client is not open or the request fails.
   *
   * @param versionName the tenant's Version, sent as {@code VersionName}
   * @param publicEndpoint the new host on a Move, ignored (and not sent) otherwise
   */
  Future<Integer> send(String ctx, ChangeType type, String versionName, String publicEndpoint) {
    String url = target;
    WebClient open = client;
    if (url == null) {
      return Future.failedFuture(new IllegalStateException(
          "the simulator has no webhook to send notifications to; call sendNotificationsTo first"));
    }
    if (open == null) {
      return Future.failedFuture(new IllegalStateException("the simulator is not deployed"));
    }
    JsonObject body = body(type, ctx, versionName, signer.sign(ctx), publicEndpoint);
    return open.postAbs(url)
        .putHeader("Content-Type", "application/json")
        .timeout(SEND_TIMEOUT.toMillis())
        .sendBuffer(body.toBuffer())
        .map(HttpResponse::statusCode)
        .onSuccess(status -> LOG.atLevel(level).log("simulator: notification {} for {} -> {}",
            type.label(), ctx, status))
        .onFailure(failure -> LOG.atLevel(level).log("simulator: notification {} for {} failed: {}",
            type.label(), ctx, failure.getMessage()));
  }

  /**
   * Sends a scenario's notification for this tenant, or skips it while no target is set. Never fails:
   * a lost notification is logged, and the story goes on as SuperOffice's would.
   */
  Future<Void> sendScripted(SimulatedTenant tenant, Phase phase) {
    ChangeType type = phase.notification().type();
    if (target == null) {
      LOG.debug("simulator: notification {} for {} skipped: no webhook set", type.label(), tenant.ctx());
      return Future.succeededFuture();
    }
    return send(tenant.ctx(), type, tenant.version(), phase.host()).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * The body exactly as SuperOffice posts it; {@code PublicEndpoint} only on a Move. An absent version
   * is sent empty, as SuperOffice sends an empty {@code FileVersion}.
   */
  static JsonObject body(ChangeType type, String ctx, String versionName, String token, String publicEndpoint) {
    JsonObject body = new JsonObject()
        .put("ChangeType", type.code())
        .put("ContextIdentifier", ctx)
        .put("VersionName", versionName == null ? "" : versionName)
        .put("FileVersion", fileVersion(versionName))
        .put("Token", token);
    if (type.is(ChangeType.Known.MOVE)) {
      body.put("PublicEndpoint", publicEndpoint);
    }
    return body;
  }

  /**
   * The file-set version SuperOffice pairs with a version name: {@code Release_11.10_2026.02.24-01}
   * gives {@code 11.10.0.2026}; a name in another shape gives an empty string, as SuperOffice may send.
   */
  static String fileVersion(String versionName) {
    Matcher release = versionName == null ? null : RELEASE.matcher(versionName);
    if (release == null || !release.matches()) {
      return "";
    }
    StringBuilder number = new StringBuilder(release.group(1));
    for (int parts = number.toString().split("\\.").length; parts < 3; parts++) {
      number.append(".0");
    }
    return number.append('.').append(release.group(2)).toString();
  }

  /** Whether this is a host name alone, as {@code PublicEndpoint} carries it: no scheme, port or path. */
  static boolean isBareHost(String host) {
    return host != null && host.length() <= 253 && BARE_HOST.matcher(host).matches();
  }

  /** The URL itself when it is plain HTTP to 127.0.0.1 or localhost; the simulator never talks off-machine. */
  static String requireLoopback(String url) {
    if (url == null) {
      throw new IllegalArgumentException("a webhook URL is required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    if (!"http".equalsIgnoreCase(uri.getScheme()) || !LOOPBACK_HOSTS.contains(host) || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "the simulator sends notifications only to http://127.0.0.1 or http://localhost, not " + url);
    }
    return url;
  }
}
