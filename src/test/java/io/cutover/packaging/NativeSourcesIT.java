package io.cutover.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cutover.Main;
import io.cutover.migration.MigrationCli;
import io.cutover.migration.backfill.BackfillCommand;
import io.cutover.migration.verify.VerifyCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The native sources bundle ({@code ./mvnw verify -Dnative -Dquarkus.native.sources-only=true}):
 * everything a machine with Mandrel needs to link the executable with one {@code native-image}
 * call, without Maven or the sources. Runs only in that build (it is the only one that writes
 * {@code target/native-sources}); there, a missing or incomplete bundle fails.
 */
class NativeSourcesIT {

    private static final String PICOCLI_REFLECTION = "META-INF/native-image/picocli-generated/io.cutover/cutover/reflect-config.json";
    private static final Path BUNDLE = Path.of(System.getProperty("native.sources.dir", "target/native-sources"));

    @Test
    void shouldWriteABundleWhoseNativeImageArgsLinkTheRunnerJarWithTheRoutersMainClass() throws IOException {
        assumeTrue(Boolean.getBoolean("cutover.it.native") && Boolean.getBoolean("quarkus.native.sources-only"),
                "only in the native sources build (-Dnative -Dquarkus.native.sources-only=true)");

        Path args = BUNDLE.resolve("native-image.args");
        assertThat(args).as("the arguments of the native-image call").isRegularFile();
        List<String> words = Arrays.asList(Files.readString(args).strip().split("\\s+"));
        assertThat(words).as("native-image.args").contains("--no-fallback", "--link-at-build-time");
        assertThat(words.get(words.size() - 2)).as("native-image.args builds from a jar").isEqualTo("-jar");
        String runnerJar = words.get(words.size() - 1);
        assertThat(runnerJar).endsWith("-runner.jar");
        assertThat(words.get(words.size() - 3)).as("the executable's name").isEqualTo(runnerJar.replaceFirst("\\.jar$", ""));
        assertThat(BUNDLE.resolve("graalvm.version")).as("the GraalVM version the bundle was made for").isRegularFile();

        Path jar = BUNDLE.resolve(runnerJar);
        assertThat(jar).as("the runner jar native-image.args names").isRegularFile();
        try (JarFile runner = new JarFile(jar.toFile())) {
            Attributes manifest = runner.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).as("the main class of the executable")
                    .isEqualTo(Main.class.getName());
            assertThat(runner.getEntry(Main.class.getName().replace('.', '/') + ".class")).as("the main class in the jar").isNotNull();
            List<String> classPath = Arrays.asList(manifest.getValue(Attributes.Name.CLASS_PATH).strip().split("\\s+"));
            assertThat(classPath).as("the runner jar's class path").isNotEmpty()
                    .allSatisfy(entry -> assertThat(BUNDLE.resolve(entry)).as("class path entry " + entry).isRegularFile());
            JarEntry picocli = runner.getJarEntry(PICOCLI_REFLECTION);
            assertThat(picocli).as("picocli's reflection for the migration jobs (picocli-codegen)").isNotNull();
            try (InputStream in = runner.getInputStream(picocli)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(PICOCLI_REFLECTION)
                        .contains(MigrationCli.class.getName(), VerifyCommand.class.getName(), BackfillCommand.class.getName());
            }
        }
    }
}
