package io.tenantwatch.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the event bus pass immutable objects between the verticles of one node as they are, neither encoded nor
 * copied: a default codec per class that hands over the very object and refuses the wire, since such a message
 * goes to a local address only. Codecs are per Vert.x, and several engines (or one started again) may share one,
 * so each class is registered once per event bus, however often it is asked for.
 */
public final class LocalObjects {
  /**
   * What such an object is sent with: local only, so a clustered event bus never looks for another node's
   * consumer (nor tries the codec on the wire). Never changed.
   */
  public static final DeliveryOptions ONLY_LOCAL = new DeliveryOptions().setLocalOnly(true);

  private static final Map<Class<?>, Carried> CARRIED = new ConcurrentHashMap<>();

  private LocalObjects() {
  }

  /**
   * Lets {@code bus} carry {@code type}'s objects as they are; cheap after the first call for a bus.
   *
   * @param name the codec's name, unique on the bus
   */
  public static <T> void carry(EventBus bus, Class<T> type, String name) {
    Carried carried = CARRIED.computeIfAbsent(type, t -> new Carried());
    if (carried.last.get() == bus) {
      return;
    }
    // Under the lock, so no caller returns before the codec is registered: tenants' verticles start on several
    // event loops at once, and one that found the bus already named, while another was still registering its
    // codec, sent its first command without one ("No message codec for type").
    synchronized (carried) {
      if (carried.buses.add(bus)) {
        bus.registerDefaultCodec(type, new AsItIs<>(type, name));
      }
      carried.last = new WeakReference<>(bus);
    }
  }

  /**
   * The buses that carry one class (guarded by the object's lock), and the last one a codec was registered
   * on, set only once it is: every tenant's verticle asks as it starts, a hundred thousand times on one bus
   * at an engine's start, and a look at the last one spares them the lock. Weak, so a closed Vert.x is not
   * kept.
   */
  private static final class Carried {
    final Set<EventBus> buses = Collections.newSetFromMap(new WeakHashMap<>());
    volatile WeakReference<EventBus> last = new WeakReference<>(null);
  }

  private record AsItIs<T>(Class<T> type, String name) implements MessageCodec<T, T> {
    @Override
    public void encodeToWire(Buffer buffer, T object) {
      throw new IllegalStateException(type.getSimpleName() + " is sent to local addresses only: it never leaves its node");
    }

    @Override
    public T decodeFromWire(int position, Buffer buffer) {
      throw new IllegalStateException(type.getSimpleName() + " is sent to local addresses only: it never leaves its node");
    }

    @Override
    public T transform(T object) {
      return object;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
