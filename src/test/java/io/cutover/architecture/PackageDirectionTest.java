package io.cutover.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Packages point one way: the request path ({@code proxy}) uses dual write, shadow reads, the breakers
 * and the metrics, never the other way round (they reach the backends through {@code backend}); the
 * progression does not depend on the admin API. Read from the sources' imports.
 */
class PackageDirectionTest {

    private static final Path MAIN = Path.of("src/main/java/io/cutover");

    private static List<String> importsOf(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(l -> l.startsWith("import ")).map(l -> f.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @ParameterizedTest
    @CsvSource({"dualwrite, io.cutover.proxy.", "shadow, io.cutover.proxy.", "resilience, io.cutover.proxy.",
            "observability, io.cutover.proxy.", "backend, io.cutover.proxy.", "progression, io.cutover.admin."})
    void shouldNotImportThePackageThatDependsOnIt(String pkg, String forbidden) throws IOException {
        assertThat(importsOf(pkg)).noneMatch(l -> l.contains("import " + forbidden) || l.contains("import static " + forbidden));
    }
}
