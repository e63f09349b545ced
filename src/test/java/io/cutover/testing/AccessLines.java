package io.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The access log's lines as the router writes them (to its log category {@code cutover.access}), parsed as JSON: a
 * handler attached next to the console's for the length of a test.
 */
public final class AccessLines extends Handler implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Logger category = Logger.getLogger("cutover.access");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public static AccessLines capture() {
        AccessLines a = new AccessLines();
        a.category.addHandler(a);
        return a;
    }

    @Override
    public void publish(LogRecord record) {
        lines.addAll(java.util.Arrays.asList(record.getMessage().split("\n"))); // the writer puts many lines in a record
    }

    /** Every line so far, each parsed (a line that is not one JSON object fails the test). */
    public List<JsonNode> lines() {
        return lines.stream().map(l -> {
            try {
                JsonNode n = JSON.readTree(l);
                if (!n.isObject()) {
                    throw new AssertionError("not a JSON object: " + l);
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + l, e);
            }
        }).toList();
    }

    /** The lines of requests to {@code path}. */
    public List<JsonNode> of(String path) {
        return lines().stream().filter(n -> n.path("path").asText().equals(path)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        category.removeHandler(this);
    }
}
