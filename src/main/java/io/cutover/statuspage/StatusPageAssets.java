package io.cutover.statuspage;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status page's files, read once from {@code META-INF/resources/admin/ui/} (which a native image includes).
 * The empty name is the page itself ({@code /admin/ui/}).
 */
final class StatusPageAssets {

    /** One file as it is served. */
    record Asset(Buffer body, String contentType) {
    }

    private static final String DIR = "META-INF/resources/admin/ui/";

    private final Map<String, Asset> byName;

    private StatusPageAssets(Map<String, Asset> byName) {
        this.byName = byName;
    }

    static StatusPageAssets load() {
        Asset page = read("index.html", "text/html; charset=utf-8");
        return new StatusPageAssets(Map.of(
                "", page,
                "index.html", page,
                "status.js", read("status.js", "text/javascript; charset=utf-8"),
                "status.css", read("status.css", "text/css; charset=utf-8")));
    }

    /** The file of that name, or {@code null}. */
    Asset get(String name) {
        return byName.get(name);
    }

    private static Asset read(String name, String contentType) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file missing from the classpath: " + DIR + name);
            }
            return new Asset(Buffer.buffer(in.readAllBytes()), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
