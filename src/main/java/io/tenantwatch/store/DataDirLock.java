package io.tenantwatch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An engine's hold on its {@code store.dataDir}: an exclusive OS lock on the file {@link #file} names, held
 * from before the embedded PostgreSQL starts until after it stopped. The OS lets go of it when the JVM
 * dies, even by SIGKILL, so a directory whose lock is free has no live engine, and only its holder may take
 * a running PostgreSQL there for a left-over. The file lies beside the directory, not in it: initdb wants
 * an empty directory.
 */
final class DataDirLock {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The lock file of the existing directory {@code dataDir}: {@code <dataDir>.lock} beside it, by its real
   * path, so two engines that name one directory by different paths (a symbolic link) share one lock.
   */
  static Path file(Path dataDir) throws IOException {
    Path dir = dataDir.toRealPath();
    return dir.resolveSibling(dir.getFileName() + ".lock");
  }

  /**
   * Takes the lock of the existing directory {@code dataDir} or fails at once, naming the directory, when another engine (in this
   * JVM or another) holds it.
   */
  static DataDirLock take(Path dataDir) throws IOException {
    Path file = file(dataDir);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // An engine in this JVM holds it.
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("store.dataDir " + dataDir.toAbsolutePath().normalize()
          + " is in use by another running engine (it holds " + file + "); give each engine a directory of its own");
    }
    return new DataDirLock(channel, lock);
  }

  /** Lets go of the lock; the file stays. */
  void release() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
