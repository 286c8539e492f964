package io.tenantwatch.webhook;

import static io.tenantwatch.webhook.JwksStub.certificateKey;
import static io.tenantwatch.webhook.JwksStub.jwks;
import static io.tenantwatch.webhook.JwksStub.modulusKey;
import static io.tenantwatch.webhook.VerifierFixtures.ACCEPTED;
import static io.tenantwatch.webhook.VerifierFixtures.CTX;
import static io.tenantwatch.webhook.VerifierFixtures.NOW;
import static io.tenantwatch.webhook.VerifierFixtures.outcome;
import static io.tenantwatch.webhook.VerifierFixtures.outcomes;
import static io.tenantwatch.webhook.VerifierFixtures.sha1Hex;
import static io.tenantwatch.webhook.VerifierFixtures.x5t;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
class JwksTest {
  /** Pinned: its public key is given to the verifier. */
  private static final TestTokens PINNED = TestTokens.generate(VerifierFixtures.CLOCK);
  /** Published only in the JWKS. */
  private static final TestTokens PUBLISHED = TestTokens.generate(VerifierFixtures.CLOCK);
  private static final TestTokens ROTATED_IN = TestTokens.generate(VerifierFixtures.CLOCK);

  private final MovableClock clock = new MovableClock(NOW);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(JwksSource.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(JwksSource.class)).detachAppender(log);
  }

  private Future<TokenVerifier> verifier(Vertx vertx, String jwksUrl) {
    return verifier(vertx, jwksUrl, JwksSource.DEFAULT_TIMEOUT);
  }

  private Future<TokenVerifier> verifier(Vertx vertx, String jwksUrl, Duration timeout) {
    return TokenVerifier.create(vertx, new TokenVerifierOptions(List.of(), List.of(PINNED.certificatePem()),
        jwksUrl, List.of(TestTokens.ISSUER), null, false, 60, clock), timeout);
  }

  /** Tokens by the pinned key, which must verify whatever the JWKS does. */
  private static Map<String, String> pinnedTokens() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("pinned, no kid", PINNED.sign(CTX));
    cases.put("pinned, thumbprint", PINNED.token(CTX).kid(sha1Hex(PINNED.certificate())).sign());
    cases.put("pinned, x5t", PINNED.token(CTX).kid(x5t(PINNED.certificate())).sign());
    return cases;
  }

  private long warnings() {
    return log.list.stream().filter(event -> event.getLevel() == Level.WARN).count();
  }

  @Test
  @DisplayName("nothing is fetched before a key is missing; then a key published only in the JWKS verifies")
  void fetchesOnFirstNeed(Vertx vertx, VertxTestContext testContext) {
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(certificateKey(PUBLISHED).put("kid", "published-1")));
      return verifier(vertx, stub.url())
          .compose(verifier -> outcomes(verifier, pinnedTokens(), CTX)
              .compose(pinned -> {
                testContext.verify(() -> {
                  assertThat(pinned).allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo(ACCEPTED));
                  assertThat(stub.requests()).isZero();
                });
                return outcome(verifier.verify(PUBLISHED.token(CTX).kid("published-1").sign(), CTX));
              }))
          .map(code -> {
            testContext.verify(() -> {
              assertThat(code).isEqualTo(ACCEPTED);
              assertThat(stub.requests()).isEqualTo(1);
            });
            return code;
          });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("JWKS keys are found by kid, x5t and certificate thumbprint, n/e keys by kid, and without kid by trial")
  void findsJwksKeysByEveryName(Vertx vertx, VertxTestContext testContext) {
    JsonObject skipped = new JsonObject().put("kty", "RSA").put("use", "enc").put("kid", "encryption");
    JsonObject ec = new JsonObject().put("kty", "EC").put("crv", "P-256").put("kid", "ec");
    JsonObject broken = new JsonObject().put("kty", "RSA").put("kid", "broken").put("x5c", List.of("AAAA"));
    JsonObject published = certificateKey(PUBLISHED).put("kid", "cert-key")
        .put("x5t", "published-x5t-as-sent");
    JsonObject rotated = modulusKey(ROTATED_IN).put("kid", "modulus-key");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("x5c by kid", PUBLISHED.token(CTX).kid("cert-key").sign());
    cases.put("x5c by x5t as sent", PUBLISHED.token(CTX).kid("published-x5t-as-sent").sign());
    cases.put("x5c by thumbprint", PUBLISHED.token(CTX).kid(sha1Hex(PUBLISHED.certificate())).sign());
    cases.put("x5c by computed x5t", PUBLISHED.token(CTX).kid(x5t(PUBLISHED.certificate())).sign());
    cases.put("n/e by kid", ROTATED_IN.token(CTX).kid("modulus-key").sign());
    cases.put("n/e without kid", ROTATED_IN.sign(CTX));
    cases.put("a kid naming another key", ROTATED_IN.token(CTX).kid("cert-key").sign());
    cases.put("skipped encryption key", ROTATED_IN.token(CTX).kid("encryption").sign());
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(skipped, ec, broken, published, rotated));
      return verifier(vertx, stub.url())
          // The first fetch, so the table below runs against known keys and in order.
          .compose(verifier -> verifier.verify(PUBLISHED.token(CTX).kid("cert-key").sign(), CTX)
              .compose(first -> outcomes(verifier, cases, CTX)))
          .map(outcomes -> {
            testContext.verify(() -> {
              assertThat(outcomes).containsExactly(
                  Map.entry("x5c by kid", ACCEPTED),
                  Map.entry("x5c by x5t as sent", ACCEPTED),
                  Map.entry("x5c by thumbprint", ACCEPTED),
                  Map.entry("x5c by computed x5t", ACCEPTED),
                  Map.entry("n/e by kid", ACCEPTED),
                  Map.entry("n/e without kid", ACCEPTED),
                  Map.entry("a kid naming another key", "bad-signature"),
                  Map.entry("skipped encryption key", "unknown-key"));
              assertThat(stub.requests()).isEqualTo(1);
            });
            return outcomes;
          });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("an unknown kid triggers exactly one fetch per 30 s, however many tokens ask at once")
  void rateLimitsRefreshes(Vertx vertx, VertxTestContext testContext) {
    String unknown = PUBLISHED.token(CTX).kid("not-published").sign();
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "published")));
      return verifier(vertx, stub.url()).compose(verifier -> {
        List<Future<String>> burst = IntStream.range(0, 5)
            .mapToObj(i -> outcome(verifier.verify(unknown, CTX))).toList();
        return Future.all(burst)
            .compose(all -> {
              testContext.verify(() -> {
                assertThat(all.<String>list()).containsOnly("unknown-key").hasSize(5);
                assertThat(stub.requests()).isEqualTo(1);
              });
              clock.advanceBy(Duration.ofSeconds(29));
              return outcome(verifier.verify(unknown, CTX));
            })
            .compose(code -> {
              testContext.verify(() -> {
                assertThat(code).isEqualTo("unknown-key");
                assertThat(stub.requests()).isEqualTo(1);
              });
              clock.advanceBy(Duration.ofSeconds(1));
              return outcome(verifier.verify(unknown, CTX));
            })
            .map(code -> {
              testContext.verify(() -> {
                assertThat(code).isEqualTo("unknown-key");
                assertThat(stub.requests()).isEqualTo(2);
              });
              return code;
            });
      });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("a key rotated into the JWKS is trusted at the first unknown kid once the rate limit allows")
  void picksUpRotatedKey(Vertx vertx, VertxTestContext testContext) {
    String rotated = ROTATED_IN.token(CTX).kid("next").sign();
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "current")));
      return verifier(vertx, stub.url()).compose(verifier -> outcome(verifier.verify(rotated, CTX))
          .compose(before -> {
            stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "current"), modulusKey(ROTATED_IN).put("kid", "next")));
            return outcome(verifier.verify(rotated, CTX)).map(tooSoon -> List.of(before, tooSoon));
          })
          .compose(earlier -> {
            clock.advanceBy(JwksSource.MIN_REFRESH_INTERVAL);
            return outcome(verifier.verify(rotated, CTX)).map(after -> List.of(earlier.get(0), earlier.get(1), after));
          })
          .map(codes -> {
            testContext.verify(() -> {
              assertThat(codes).containsExactly("unknown-key", "unknown-key", ACCEPTED);
              assertThat(stub.requests()).isEqualTo(2);
            });
            return codes;
          }));
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("with the JWKS down, pinned keys still verify and an unknown kid is refused")
  void survivesJwksDown(Vertx vertx, VertxTestContext testContext) {
    Map<String, String> cases = pinnedTokens();
    cases.put("unknown kid", PUBLISHED.token(CTX).kid("published").sign());
    cases.put("unknown key, no kid", PUBLISHED.sign(CTX));
    vertx.createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1")
        .compose(server -> server.close().map(server.actualPort()))
        .compose(port -> verifier(vertx, "http://127.0.0.1:" + port + "/jwks"))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsExactly(
              Map.entry("pinned, no kid", ACCEPTED),
              Map.entry("pinned, thumbprint", ACCEPTED),
              Map.entry("pinned, x5t", ACCEPTED),
              Map.entry("unknown kid", "unknown-key"),
              Map.entry("unknown key, no kid", "bad-signature"));
          assertThat(warnings()).isEqualTo(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a JWKS answering garbage, an error, a non-JWKS or no usable key leaves the pinned keys working")
  void survivesJwksGarbage(Vertx vertx, VertxTestContext testContext) {
    List<Consumer<JwksStub>> answers = List.of(
        stub -> stub.serve(200, "<html>not json</html>"),
        stub -> stub.serve(500, "{\"keys\":[]}"),
        stub -> stub.serve(200, "{\"keys\":\"none\"}"),
        stub -> stub.serve(200, "[]"),
        stub -> stub.serve(jwks()),
        stub -> stub.serve(jwks(new JsonObject().put("kty", "RSA").put("n", "%%%").put("e", "AQAB"))),
        stub -> stub.serve(200, "{\"keys\":[" + "1,".repeat(200_000) + "1]}"));
    Map<String, String> cases = pinnedTokens();
    cases.put("unknown kid", PUBLISHED.token(CTX).kid("published").sign());
    Future.all(answers.stream().map(answer -> JwksStub.start(vertx).compose(stub -> {
      answer.accept(stub);
      return verifier(vertx, stub.url()).compose(verifier -> outcomes(verifier, cases, CTX))
          .map(outcomes -> Map.entry(stub.requests(), outcomes));
    })).toList()).onComplete(testContext.succeeding(all -> testContext.verify(() -> {
      for (Map.Entry<Integer, Map<String, String>> result : all.<Map.Entry<Integer, Map<String, String>>>list()) {
        assertThat(result.getKey()).isEqualTo(1);
        assertThat(result.getValue()).containsExactly(
            Map.entry("pinned, no kid", ACCEPTED),
            Map.entry("pinned, thumbprint", ACCEPTED),
            Map.entry("pinned, x5t", ACCEPTED),
            Map.entry("unknown kid", "unknown-key"));
      }
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a failed refresh keeps the keys of the last good fetch")
  void keepsLastGoodKeys(Vertx vertx, VertxTestContext testContext) {
    String published = PUBLISHED.token(CTX).kid("published").sign();
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "published")));
      return verifier(vertx, stub.url()).compose(verifier -> outcome(verifier.verify(published, CTX))
          .compose(first -> {
            stub.serve(503, "down for maintenance");
            clock.advanceBy(JwksSource.MIN_REFRESH_INTERVAL);
            return outcome(verifier.verify(PUBLISHED.token(CTX).kid("other").sign(), CTX))
                .compose(unknown -> outcome(verifier.verify(published, CTX))
                    .map(again -> List.of(first, unknown, again)));
          })
          .map(codes -> {
            testContext.verify(() -> {
              assertThat(codes).containsExactly(ACCEPTED, "unknown-key", ACCEPTED);
              assertThat(stub.requests()).isEqualTo(2);
            });
            return codes;
          }));
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("while a JWKS fetch is pending, pinned keys verify at once and only the token needing it waits")
  void pendingFetchHoldsUpOnlyItsToken(Vertx vertx, VertxTestContext testContext) {
    JwksStub.start(vertx).compose(stub -> {
      stub.hold();
      return verifier(vertx, stub.url()).compose(verifier -> {
        Future<String> waiting = outcome(verifier.verify(PUBLISHED.token(CTX).kid("published").sign(), CTX));
        return stub.nextRequest()
            .compose(arrived -> outcomes(verifier, pinnedTokens(), CTX))
            .compose(pinned -> {
              testContext.verify(() -> {
                assertThat(pinned).allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo(ACCEPTED));
                assertThat(waiting.isComplete()).isFalse();
              });
              stub.release(jwks(modulusKey(PUBLISHED).put("kid", "published")));
              return waiting;
            })
            .map(code -> {
              testContext.verify(() -> assertThat(code).isEqualTo(ACCEPTED));
              return code;
            });
      });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("a JWKS that never answers is given up after the timeout and the waiting token refused")
  void timesOut(Vertx vertx, VertxTestContext testContext) {
    JwksStub.start(vertx).compose(stub -> {
      stub.hang();
      return verifier(vertx, stub.url(), Duration.ofMillis(300))
          .compose(verifier -> outcome(verifier.verify(PUBLISHED.token(CTX).kid("published").sign(), CTX)))
          .map(code -> {
            testContext.verify(() -> {
              assertThat(code).isEqualTo("unknown-key");
              assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                  .extracting(ILoggingEvent::getFormattedMessage).asString().contains("no answer within 300 ms");
            });
            return code;
          });
    }).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("a JWKS trickling its answer a byte every 200 ms is given up at the timeout and the token refused")
  void trickleEndsAtTimeout(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> closed = Promise.promise();
    JwksStub.start(vertx).compose(stub -> {
      stub.answer(request -> {
        request.response().setChunked(true).putHeader("Content-Type", "application/json").write("{");
        long trickle = vertx.setPeriodic(200, id -> request.response().write(" "));
        request.connection().closeHandler(v -> {
          vertx.cancelTimer(trickle);
          closed.tryComplete();
        });
      });
      return verifier(vertx, stub.url(), Duration.ofMillis(1000))
          .compose(verifier -> outcome(verifier.verify(PUBLISHED.token(CTX).kid("published").sign(), CTX)))
          .compose(code -> closed.future().map(code));
    }).onComplete(testContext.succeeding(code -> testContext.verify(() -> {
      assertThat(code).isEqualTo("unknown-key");
      assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString().contains("no answer within 1000 ms");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a JWKS answer past the byte cap is refused, its connection closed, the token refused")
  void floodIsCut(Vertx vertx, VertxTestContext testContext) {
    Promise<Long> closed = Promise.promise();
    Buffer chunk = Buffer.buffer(" ".repeat(16 * 1024));
    JwksStub.start(vertx).compose(stub -> {
      // An endless answer: without the cap the verifier would buffer it until memory runs out.
      stub.answer(request -> {
        AtomicLong sent = new AtomicLong();
        request.response().setChunked(true).putHeader("Content-Type", "application/json").write("{");
        long flood = vertx.setPeriodic(5, id -> {
          if (!request.response().writeQueueFull()) {
            request.response().write(chunk);
            sent.addAndGet(chunk.length());
          }
        });
        request.connection().closeHandler(v -> {
          vertx.cancelTimer(flood);
          closed.tryComplete(sent.get());
        });
      });
      return verifier(vertx, stub.url(), Duration.ofSeconds(60))
          .compose(verifier -> outcome(verifier.verify(PUBLISHED.token(CTX).kid("published").sign(), CTX)))
          .compose(code -> closed.future().map(sent -> Map.entry(code, sent)));
    }).onComplete(testContext.succeeding(result -> testContext.verify(() -> {
      assertThat(result.getKey()).isEqualTo("unknown-key");
      assertThat(result.getValue()).isGreaterThanOrEqualTo((long) JwksSource.MAX_BODY_BYTES);
      assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
          .extracting(ILoggingEvent::getFormattedMessage).asString()
          .contains("larger than " + JwksSource.MAX_BODY_BYTES + " bytes");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a streak of failed fetches is logged at WARN once, and again only after a good fetch")
  void warnsOncePerStreak(Vertx vertx, VertxTestContext testContext) {
    String unknown = PUBLISHED.token(CTX).kid("not-published").sign();
    JwksStub.start(vertx).compose(stub -> verifier(vertx, stub.url()).compose(verifier -> {
      stub.serve(500, "");
      return outcome(verifier.verify(unknown, CTX))
          .compose(code -> {
            clock.advanceBy(JwksSource.MIN_REFRESH_INTERVAL);
            return outcome(verifier.verify(unknown, CTX));
          })
          .compose(code -> {
            testContext.verify(() -> assertThat(warnings()).isEqualTo(1));
            stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "published")));
            clock.advanceBy(JwksSource.MIN_REFRESH_INTERVAL);
            return outcome(verifier.verify(unknown, CTX));
          })
          .compose(code -> {
            stub.serve(200, "garbage");
            clock.advanceBy(JwksSource.MIN_REFRESH_INTERVAL);
            return outcome(verifier.verify(unknown, CTX));
          })
          .map(code -> {
            testContext.verify(() -> {
              assertThat(stub.requests()).isEqualTo(4);
              assertThat(warnings()).isEqualTo(2);
              assertThat(log.list).filteredOn(event -> event.getLevel() == Level.INFO)
                  .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                  .contains("answers again: 1 signing keys");
            });
            return code;
          });
    })).onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("keys older than an hour are fetched again in the background while tokens keep verifying")
  void refreshesHourly(Vertx vertx, VertxTestContext testContext) {
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "published")));
      return verifier(vertx, stub.url()).compose(verifier -> outcome(verifier.verify(publishedNow(), CTX))
          .compose(first -> {
            clock.advanceBy(JwksSource.MAX_AGE.minusSeconds(1));
            return outcome(verifier.verify(publishedNow(), CTX));
          })
          .compose(second -> {
            testContext.verify(() -> assertThat(stub.requests()).isEqualTo(1));
            clock.advanceBy(Duration.ofSeconds(1));
            Future<Void> refetched = stub.nextRequest();
            return outcome(verifier.verify(publishedNow(), CTX)).compose(third -> refetched.map(third));
          })
          // An unknown kid now joins the background fetch, so the test ends only once it is done.
          .compose(third -> outcome(verifier.verify(PUBLISHED.token(CTX).kid("other").issuedAt(clock.instant())
              .sign(), CTX)).map(third))
          .map(third -> {
            testContext.verify(() -> {
              assertThat(third).isEqualTo(ACCEPTED);
              assertThat(stub.requests()).isEqualTo(2);
            });
            return third;
          }));
    }).onComplete(testContext.succeedingThenComplete());
  }

  /** A token by the published key, issued at the test clock's now. */
  private String publishedNow() {
    return PUBLISHED.token(CTX).kid("published").issuedAt(clock.instant()).sign();
  }

  @Test
  @DisplayName("after close nothing is fetched and the pinned keys still verify")
  void closeStopsFetching(Vertx vertx, VertxTestContext testContext) {
    Map<String, String> cases = pinnedTokens();
    cases.put("unknown kid", PUBLISHED.token(CTX).kid("published").sign());
    JwksStub.start(vertx).compose(stub -> {
      stub.serve(jwks(modulusKey(PUBLISHED).put("kid", "published")));
      return verifier(vertx, stub.url()).compose(verifier -> {
        verifier.close();
        return outcomes(verifier, cases, CTX);
      }).map(outcomes -> {
        testContext.verify(() -> {
          assertThat(outcomes).containsEntry("pinned, no kid", ACCEPTED).containsEntry("unknown kid", "unknown-key");
          assertThat(stub.requests()).isZero();
        });
        return outcomes;
      });
    }).onComplete(testContext.succeedingThenComplete());
  }
}
