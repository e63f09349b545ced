package io.cutover.migration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which mapping a job uses: the built-in default or a file, with variables overridden. */
public final class MappingOptions {

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "mapping file (YAML); default: the built-in mapping of the reference schemas")
    Path file;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "override a mapping variable, e.g. tenant=acme")
    Map<String, String> variables = new LinkedHashMap<>();

    public Mapping load() {
        return file == null ? MappingLoader.defaultMapping(variables) : MappingLoader.load(file, variables);
    }
}
