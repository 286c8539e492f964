package io.tenantwatch.node;

import static io.tenantwatch.node.TestNodes.WAIT_SECONDS;
import static io.tenantwatch.node.TestNodes.awaitMembers;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ChildMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A member in a JVM of its own joins this JVM's member, and is SIGKILLed: no leave, no goodbye, only the
 * refused connection that tells Hazelcast it is gone. The member here then drops it from its view.
 */
class KilledMemberTest {
  private Process child;

  @AfterEach
  void killLeftovers() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a member in another JVM joins, is killed with SIGKILL, and this member's view drops it")
  void killedMemberIsDropped() throws Exception {
    try (TestNodes nodes = new TestNodes(2)) {
      Membership here = nodes.start(nodes.options(0)).membership();
      String other = nodes.nodeId(1);
      List<String> output = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> joined = new CompletableFuture<>();
      child = ChildMain.startMain(MemberMain.class, nodes.json(1).encode());
      Thread reader = new Thread(() -> read(child, output, "cluster member " + other, joined), "member-output");
      reader.setDaemon(true);
      reader.start();

      joined.get(WAIT_SECONDS, TimeUnit.SECONDS);
      awaitMembers(here, Set.of(nodes.nodeId(0), other));

      child.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);

      awaitMembers(here, Set.of(nodes.nodeId(0)));
      assertThat(here.holdsMembership()).isTrue();
      assertThat(output).as("the child's output").noneMatch(line -> line.contains("WARNING: Hazelcast is starting"));
    }
  }

  private static void read(Process process, List<String> output, String marker, CompletableFuture<Void> seen) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        if (line.contains(marker)) {
          seen.complete(null);
        }
      }
      seen.completeExceptionally(new IllegalStateException("the member exited before joining: " + output));
    } catch (java.io.IOException e) {
      seen.completeExceptionally(e);
    }
  }
}
