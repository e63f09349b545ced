package io.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingLoaderTest {

    @Test
    void shouldExpressTheDefaultMappingInTheFileFormat() {
        Mapping mapping = MappingLoader.defaultMapping(Map.of("tenant", "acme"));

        assertThat(mapping.tables()).extracting(TableMapping::name).containsExactly("users", "devices", "telemetry", "alerts");
        TableMapping telemetry = mapping.table("telemetry");
        assertThat(telemetry.source()).isEqualTo("device_data");
        assertThat(telemetry.sourceKey()).isEqualTo("id");
        assertThat(telemetry.column("tenant_id").constant()).isEqualTo("acme");
        assertThat(telemetry.column("quality").sourceExpression()).isEqualTo("'GOOD'");
        assertThat(telemetry.column("timestamp").writeExpression("timestamp with time zone"))
                .isEqualTo("b.\"timestamp\"::timestamp with time zone");
        assertThat(mapping.setup()).singleElement().asString().contains("'acme'");
    }

    @Test
    void shouldSayWhatWasExpectedWhenTheFileIsInvalid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "tables:\n  - name: t\n    key: id\n    columns:\n      id: \"upper(id)\"\n");

        assertThatThrownBy(() -> MappingLoader.load(file, Map.of())).isInstanceOfSatisfying(JobFailure.class, e -> {
            assertThat(e.exitCode()).isEqualTo(2);
            assertThat(e.getMessage()).contains("key 'id' must be a mapped column whose source is a plain source column");
        });
        Files.writeString(file, "tables:\n  - name: t\n    columns:\n      id: \"${nope}\"\n");
        assertThatThrownBy(() -> MappingLoader.load(file, Map.of())).hasMessageContaining("unknown variable ${nope}");
    }
}
