package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cluster's rules are pure (docs/cluster-shards.md), like the tenant machine: every node must compute
 * the same shards, placement and plans from the same view, so none of the pure classes may import Vert.x,
 * Hazelcast, PostgreSQL or JDBC. A later class that talks to those belongs outside this list.
 */
class ClusterHasNoVertxImportTest {
  private static final Path CLUSTER_SOURCES = Path.of("src", "main", "java", "io", "tenantwatch", "cluster");
  private static final List<String> PURE = List.of("TenantShard.java", "RendezvousWeight.java",
      "Placement.java", "ClusterFormation.java", "RebalancePlan.java", "ShardMove.java", "MoveCause.java",
      "Fence.java", "ShardDuties.java", "package-info.java");
  private static final List<String> FORBIDDEN = List.of("import io.vertx", "import com.hazelcast",
      "import org.postgresql", "import java.sql", "import io.tenantwatch.store", "io.vertx.", "com.hazelcast.");

  @Test
  @DisplayName("No pure file of the cluster package imports Vert.x, Hazelcast, PostgreSQL or the store")
  void noVertxImport() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(CLUSTER_SOURCES)) {
      sources = files.filter(p -> PURE.contains(p.getFileName().toString())).toList();
    }
    assertThat(sources).as("the cluster's pure sources, read from the project directory")
        .hasSize(PURE.size());

    for (Path source : sources) {
      String text = Files.readString(source);
      for (String forbidden : FORBIDDEN) {
        assertThat(text).as(source.toString()).doesNotContain(forbidden);
      }
    }
  }
}
