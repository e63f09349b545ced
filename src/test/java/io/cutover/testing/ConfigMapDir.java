package io.cutover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as Kubernetes mounts a ConfigMap ({@code <name> -> ..data/<name>},
 * {@code ..data -> ..<version>}): every {@link #write} is an atomic symlink swap, as the kubelet does.
 */
public final class ConfigMapDir {

    private final Path dir;
    private final String name;
    private final AtomicInteger generation = new AtomicInteger();

    public ConfigMapDir(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A fresh temporary directory holding one key, {@code name}. */
    public static ConfigMapDir create(String prefix, String name) {
        try {
            return new ConfigMapDir(Files.createTempDirectory(prefix), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The path the application reads ({@code <dir>/<name>}, a symlink). */
    public Path file() {
        return dir.resolve(name);
    }

    /** Publishes new content: a new generation directory, then an atomic swap of {@code ..data}. */
    public synchronized void write(String content) {
        try {
            String gen = "..gen" + generation.incrementAndGet();
            Path genDir = Files.createDirectory(dir.resolve(gen));
            Files.writeString(genDir.resolve(name), content, StandardCharsets.UTF_8);
            Path tmpLink = dir.resolve("..data_tmp");
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, Path.of(gen));
            Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path link = file();
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
