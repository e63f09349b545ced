package io.cutover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.Main;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every key of every {@code @ConfigMapping} interface of the router,
 * with its default. The keys come from the interfaces themselves (SmallRye Config's own reading of
 * them, as Quarkus does at start), found by scanning the compiled classes: a new interface or a new
 * method shows up here without anyone listing it.
 */
class ConfigurationReferenceTest {

    private static final String PAGE = "docs/configuration.md";

    @Test
    void everyCutoverKeyOfTheConfigMappingsIsInTheConfigurationReferenceWithItsDefault() throws Exception {
        Map<String, ConfigMappingInterface.Property> keys = mappedKeys();
        assertThat(keys).as("keys found in the @ConfigMapping interfaces (the scan works)")
                .containsKeys("cutover.backends.v1.url", "cutover.outbox.lease", "cutover.tenant.default");

        List<String> lines = Docs.read(PAGE).lines().toList();
        List<String> missing = new ArrayList<>();
        List<String> wrongDefault = new ArrayList<>();
        keys.forEach((mapped, property) -> {
            String key = mapped.replace("[*]", "");
            List<String> rows = lines.stream().filter(l -> l.startsWith("|") && l.contains("`" + key + "`")).toList();
            if (rows.isEmpty()) {
                missing.add(key);
            } else if (property.hasDefaultValue()
                    && rows.stream().noneMatch(r -> r.contains("`" + property.getDefaultValue() + "`"))) {
                wrongDefault.add(key + " (default " + property.getDefaultValue() + ")");
            }
        });
        assertThat(missing).as("keys of @ConfigMapping interfaces without a row in " + PAGE).isEmpty();
        assertThat(wrongDefault).as("rows of " + PAGE + " that do not show the key's default").isEmpty();
    }

    /** Every property of every {@code @ConfigMapping} interface under io.cutover, by its full name. */
    static Map<String, ConfigMappingInterface.Property> mappedKeys() throws IOException, URISyntaxException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, ConfigMappingInterface.Property> keys = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, ConfigurationReferenceTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                    keys.putAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type)));
                }
            }
        }
        return keys;
    }
}
