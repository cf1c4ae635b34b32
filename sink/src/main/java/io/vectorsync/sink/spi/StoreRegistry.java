package io.vectorsync.sink.spi;

import io.vectorsync.core.model.SinkName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every {@link Store} on the classpath, by name. Adding a store is a new module with a {@code Store} service and a
 * {@link SinkName} constant; nothing else in the service changes.
 */
public final class StoreRegistry {
    private final Map<SinkName, Store> stores;

    StoreRegistry(Collection<Store> found) {
        Map<SinkName, Store> byName = new EnumMap<>(SinkName.class);
        for (Store store : found) {
            Store earlier = byName.put(store.name(), store);
            if (earlier != null) {
                throw new IllegalStateException("two store modules offer '" + store.name() + "': "
                        + earlier.getClass().getName() + " and " + store.getClass().getName());
            }
        }
        List<String> missing = new ArrayList<>();
        for (SinkName name : SinkName.values()) {
            if (!byName.containsKey(name)) {
                missing.add(name.id());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no store module on the classpath for " + String.join(", ", missing)
                    + "; each store's module (vectorsync-store-<name>) must be a dependency of the application");
        }
        this.stores = Map.copyOf(byName);
    }

    /** The stores the classpath offers, found through {@link ServiceLoader}. */
    public static StoreRegistry load() {
        return new StoreRegistry(ServiceLoader.load(Store.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public Store store(SinkName name) {
        return stores.get(name);
    }

    /** Every store, in {@link SinkName} order. */
    public List<Store> all() {
        return new EnumMap<>(stores).values().stream().toList();
    }
}
