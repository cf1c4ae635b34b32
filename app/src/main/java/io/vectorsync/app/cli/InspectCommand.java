package io.vectorsync.app.cli;

import io.vectorsync.app.config.AppConfig;
import io.vectorsync.app.config.AppConfigLoader;
import io.vectorsync.app.demo.DemoConfig;
import io.vectorsync.app.inspect.StoreInspection;
import io.vectorsync.app.pipeline.Stores;
import io.vectorsync.core.config.CollectionMapping;
import io.vectorsync.core.config.ConfigException;
import io.vectorsync.sink.api.SinkReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a collection as every store holds it: document counts, then each ID side by side"
                + " (LSN, content hash, dimensions, text, metadata, Neo4j relationships) and whether the stores agree.",
                "Without --config it reads the demo's stores (the built-in demo configuration).",
                "Exit code 0 when every store answers and agrees on every ID, 1 otherwise, 2 on bad options."})
public class InspectCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file; default: the built-in demo configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--collection", paramLabel = "NAME",
            description = "Collection to show; default: the first one configured.")
    String collection;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Document ids to show side by side.")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
        AppConfig app;
        try {
            app = AppConfigLoader.load(DemoConfig.raw(config, overrides), false);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Optional<CollectionMapping> mapping = app.mappings().collections().stream()
                .filter(c -> collection == null || c.name().equals(collection)).findFirst();
        if (mapping.isEmpty()) {
            System.err.println("--collection '" + collection + "' is not configured; configured: "
                    + app.mappings().collections().stream().map(CollectionMapping::name).toList());
            return 2;
        }
        List<SinkReader> readers = new ArrayList<>();
        try {
            StoreInspection.stores(mapping.get()).forEach(s -> readers.add(Stores.reader(app, s)));
            boolean ok = new StoreInspection(mapping.get(), readers, System.out).print(ids);
            return ok ? 0 : 1;
        } finally {
            readers.forEach(SinkReader::close);
        }
    }
}
