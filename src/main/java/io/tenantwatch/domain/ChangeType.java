package io.tenantwatch.domain;

import java.util.Map;
import java.util.Optional;

/**
 * A notification's ChangeType. SuperOffice adds new values over time, so any integer is kept; the
 * known ones come from one table with their name and whether they close the gate at once (R5).
 */
public record ChangeType(int code) {

  /** The change types SuperOffice documents. */
  public enum Known {
    UPGRADE(0, "Upgrade", true),
    BACKUP_RESTORED(1, "BackupRestored", false),
    SUSPEND(2, "Suspend", true),
    RESUME(3, "Resume", false),
    DELETE(4, "Delete", true),
    MOVE(5, "Move", false);

    private final int code;
    private final String displayName;
    private final boolean closesGate;

    Known(int code, String displayName, boolean closesGate) {
      this.code = code;
      this.displayName = displayName;
      this.closesGate = closesGate;
    }

    public int code() {
      return code;
    }

    public String displayName() {
      return displayName;
    }

    public ChangeType type() {
      return new ChangeType(code);
    }
  }

  private static final Map<Integer, Known> TABLE = Map.of(
      0, Known.UPGRADE, 1, Known.BACKUP_RESTORED, 2, Known.SUSPEND,
      3, Known.RESUME, 4, Known.DELETE, 5, Known.MOVE);

  public static final ChangeType UPGRADE = Known.UPGRADE.type();
  public static final ChangeType BACKUP_RESTORED = Known.BACKUP_RESTORED.type();
  public static final ChangeType SUSPEND = Known.SUSPEND.type();
  public static final ChangeType RESUME = Known.RESUME.type();
  public static final ChangeType DELETE = Known.DELETE.type();
  public static final ChangeType MOVE = Known.MOVE.type();

  public static ChangeType of(int code) {
    return new ChangeType(code);
  }

  /** The documented meaning, empty for a value SuperOffice added after this table. */
  public Optional<Known> known() {
    return Optional.ofNullable(TABLE.get(code));
  }

  /** The name for logs and reasons: the documented name, or the number for an unknown value. */
  public String label() {
    return known().map(Known::displayName).orElse(Integer.toString(code));
  }

  /** Upgrade, Suspend and Delete close the gate at once; everything else asks for a poll (R5). */
  public boolean closesGate() {
    return known().map(k -> k.closesGate).orElse(false);
  }

  public boolean is(Known kind) {
    return code == kind.code;
  }

  @Override
  public String toString() {
    return label();
  }
}
