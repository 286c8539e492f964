package io.tenantwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.NotificationReceiver.Arrival;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
@DisplayName("The simulator's notifications, sent on demand")
class SimulatorNotificationTest {
  /** The tokens are checked against the real time by JWTAuth, so the fixed clock stands at it. */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final String FIRST = "Cust10001";
  private static final String TENANT_CLAIM = "http://schemes.superoffice.net/identity/ctx";

  private Vertx vertx;
  private Simulator simulator;
  private NotificationReceiver receiver;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    this.vertx = vertx;
    SimulatorOptions options = SimulatorOptions.defaults().withPort(0).withTenants(3).withScripted(false);
    simulator = new Simulator(options, Clock.fixed(NOW, ZoneOffset.UTC));
    vertx.deployVerticle(simulator)
        .compose(deployed -> NotificationReceiver.start(vertx))
        .onComplete(testContext.succeeding(started -> {
          receiver = started;
          testContext.completeNow();
        }));
  }

  private Future<Arrival> sendOne(ChangeType type, String publicEndpoint) {
    simulator.sendNotificationsTo(receiver.url());
    return simulator.notify(FIRST, type, publicEndpoint).map(status -> receiver.arrivals().get(0));
  }

  private static JsonObject tokenHeader(String token) {
    String header = token.substring(0, token.indexOf('.'));
    return new JsonObject(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a notification posts SuperOffice's body as JSON, with the tenant's version")
  void postsSuperOfficesBody(VertxTestContext testContext) {
    sendOne(ChangeType.UPGRADE, null).onComplete(testContext.succeeding(arrival -> testContext.verify(() -> {
      assertThat(arrival.method()).isEqualTo("POST");
      assertThat(arrival.path()).isEqualTo(NotificationReceiver.PATH);
      assertThat(arrival.contentType()).isEqualTo("application/json");
      JsonObject body = arrival.body();
      assertThat(body.fieldNames())
          .containsExactly("ChangeType", "ContextIdentifier", "VersionName", "FileVersion", "Token");
      assertThat(body.getValue("ChangeType")).isEqualTo(0);
      assertThat(body.getString("ContextIdentifier")).isEqualTo(FIRST);
      assertThat(body.getString("VersionName")).isEqualTo(Scenario.version(0));
      assertThat(body.getString("FileVersion")).isEqualTo("11.10.0.2026");
      assertThat(body.getString("Token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("its token verifies against the simulator's public key and names the issuer, the tenant and a five-minute life")
  void tokenVerifiesAgainstTheSimulatorsKey(VertxTestContext testContext) {
    JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(simulator.signer().publicKeyPem())));
    sendOne(ChangeType.SUSPEND, null)
        .compose(arrival -> {
          String token = arrival.body().getString("Token");
          testContext.verify(() -> {
            assertThat(tokenHeader(token).getString("alg")).isEqualTo("RS256");
            assertThat(tokenHeader(token).getString("kid")).isEqualTo(simulator.signer().keyId());
          });
          return verifier.authenticate(new TokenCredentials(token));
        })
        .onComplete(testContext.succeeding(user -> testContext.verify(() -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          assertThat(claims.getString("iss")).isEqualTo(Simulator.ISSUER).isEqualTo("tenantwatch-simulator");
          assertThat(claims.getString(TENANT_CLAIM)).isEqualTo(FIRST);
          assertThat(claims.getLong("iat")).isEqualTo(NOW.getEpochSecond());
          assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(300);
          assertThat(claims.getLong("iat") - claims.getLong("nbf")).isEqualTo(60);
          assertThat(claims.getString("jti")).isNotBlank();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a Move names the new bare host as PublicEndpoint")
  void moveCarriesThePublicEndpoint(VertxTestContext testContext) {
    sendOne(ChangeType.MOVE, "sod3.superoffice.com").onComplete(testContext.succeeding(arrival -> testContext.verify(() -> {
      assertThat(arrival.body().getValue("ChangeType")).isEqualTo(5);
      assertThat(arrival.body().fieldNames()).endsWith("Token", "PublicEndpoint");
      assertThat(arrival.body().getString("PublicEndpoint")).isEqualTo("sod3.superoffice.com");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a Move without a host names the host the tenant is on now")
  void moveDefaultsToTheCurrentHost(VertxTestContext testContext) {
    sendOne(ChangeType.MOVE, null).onComplete(testContext.succeeding(arrival -> testContext.verify(() -> {
      assertThat(arrival.body().getString("PublicEndpoint")).isEqualTo(Scenario.HOME_HOST);
      testContext.completeNow();
    })));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 9})
  @DisplayName("any other ChangeType, an unknown one included, carries no PublicEndpoint")
  void onlyAMoveCarriesThePublicEndpoint(int code, VertxTestContext testContext) {
    sendOne(ChangeType.of(code), null).onComplete(testContext.succeeding(arrival -> testContext.verify(() -> {
      assertThat(arrival.body().getValue("ChangeType")).isEqualTo(code);
      assertThat(arrival.body().containsKey("PublicEndpoint")).isFalse();
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("the future completes with whatever status the receiver answered")
  void completesWithTheReceiversStatus(VertxTestContext testContext) {
    receiver.answerWith(401);
    simulator.sendNotificationsTo(receiver.url());
    simulator.notify(FIRST, ChangeType.DELETE, null).onComplete(testContext.succeeding(status -> testContext.verify(() -> {
      assertThat(status).isEqualTo(401);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("the body follows the tenant's version as it is now, and an odd version gives an empty FileVersion")
  void versionFollowsTheTenant(VertxTestContext testContext) {
    simulator.sendNotificationsTo(receiver.url());
    simulator.setStatus(FIRST, TenantState.RUNNING, "https://sod2.superoffice.com/" + FIRST, null, "Release_12.0")
        .compose(set -> simulator.notify(FIRST, ChangeType.RESUME, null))
        .onComplete(testContext.succeeding(status -> testContext.verify(() -> {
          JsonObject body = receiver.arrivals().get(0).body();
          assertThat(body.getString("VersionName")).isEqualTo("Release_12.0");
          assertThat(body.getString("FileVersion")).isEmpty();
          testContext.completeNow();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com/hook", "https://127.0.0.1:8080/hook", "http://10.0.0.1:8080/hook",
      "http://127.0.0.1.example.com/hook", "http://localhost@example.com/hook", "ftp://localhost/hook",
      "127.0.0.1:8080/hook", "http://127.0.0.1:8080/ hook", ""})
  @DisplayName("a webhook off this machine, or not plain HTTP, is refused and the previous one stays")
  void offMachineTargetsAreRefused(String url, VertxTestContext testContext) {
    simulator.sendNotificationsTo(receiver.url());
    assertThatThrownBy(() -> simulator.sendNotificationsTo(url))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1");
    simulator.notify(FIRST, ChangeType.RESUME, null).onComplete(testContext.succeeding(status -> testContext.verify(() -> {
      assertThat(receiver.arrivals()).hasSize(1);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("localhost is accepted as a webhook host, and a missing URL is refused")
  void localhostIsAccepted() {
    simulator.sendNotificationsTo("http://localhost:8080/superoffice/state-change");
    simulator.sendNotificationsTo("HTTP://LOCALHOST:8080/superoffice/state-change");
    assertThatThrownBy(() -> simulator.sendNotificationsTo(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("without a webhook a notification fails and nothing is sent")
  void noTargetFails(VertxTestContext testContext) {
    simulator.notify(FIRST, ChangeType.UPGRADE, null).onComplete(testContext.failing(refused -> testContext.verify(() -> {
      assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("sendNotificationsTo");
      assertThat(receiver.arrivals()).isEmpty();
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a receiver that is not there fails the notification")
  void absentReceiverFails(VertxTestContext testContext) {
    vertx.createHttpServer().requestHandler(request -> request.response().end()).listen(0, Simulator.HOST)
        .compose(server -> {
          int port = server.actualPort();
          return server.close().map(closed -> port);
        })
        .compose(port -> {
          simulator.sendNotificationsTo("http://127.0.0.1:" + port + "/superoffice/state-change");
          return simulator.notify(FIRST, ChangeType.UPGRADE, null);
        })
        .onComplete(testContext.failing(failure -> testContext.completeNow()));
  }

  @Test
  @DisplayName("an unknown tenant, a bad identifier, no change type or a misplaced PublicEndpoint is refused, sending nothing")
  void badArgumentsAreRefused(VertxTestContext testContext) {
    simulator.sendNotificationsTo(receiver.url());
    List<Future<Integer>> refused = List.of(
        simulator.notify("Cust99999", ChangeType.UPGRADE, null),
        simulator.notify("Cust1; DROP", ChangeType.UPGRADE, null),
        simulator.notify(null, ChangeType.UPGRADE, null),
        simulator.notify(FIRST, null, null),
        simulator.notify(FIRST, ChangeType.UPGRADE, "sod3.superoffice.com"),
        simulator.notify(FIRST, ChangeType.MOVE, "https://sod3.superoffice.com/"),
        simulator.notify(FIRST, ChangeType.MOVE, ""));
    Future.join(refused).onComplete(all -> testContext.verify(() -> {
      assertThat(refused).allSatisfy(future -> assertThat(future.cause()).isInstanceOf(IllegalArgumentException.class));
      assertThat(receiver.arrivals()).isEmpty();
      testContext.completeNow();
    }));
  }
}
