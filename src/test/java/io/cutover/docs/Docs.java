package io.cutover.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's Markdown documentation as a reader finds it in a checkout: README.md and docs/. */
final class Docs {

    static final Path ROOT = Path.of("").toAbsolutePath();

    private Docs() {
    }

    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** README.md, every Markdown file under docs/, and the other READMEs of the checkout (bench, helm). */
    static List<Path> markdownFiles() {
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md"),
                            ROOT.resolve("helm/cutover/README.md")).filter(Files::exists),
                    docs.filter(p -> p.toString().endsWith(".md"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
