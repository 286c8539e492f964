package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps what PostgreSQL keeps ({@link TenantStoreContract}). */
class MemoryTenantStoreTest extends TenantStoreContract {
  private static final MemoryTenantStore STORE = new MemoryTenantStore();

  @Override
  TenantStore store() {
    return STORE;
  }

  @Test
  @DisplayName("the first start of a fresh store is epoch 0")
  void firstEpochIsZero() throws Exception {
    assertThat(await(new MemoryTenantStore().begin())).isZero();
  }
}
